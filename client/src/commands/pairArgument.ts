import * as vscode from "vscode";
import type { Services } from "../services";
import type { PairsNode } from "../views/pairsTree";

/** A command's pair: a tree node, a name (tests, keybindings), else picked from the engine's pairs. */
export async function pairArgument(services: Services, arg: PairsNode | string | undefined): Promise<string | undefined> {
  if (typeof arg === "string") return arg;
  if (arg) return arg.pair.name;
  const pairs = services.pairs.all();
  if (pairs.length === 0) throw new Error("The engine reports no pairs (is it running?).");
  if (pairs.length === 1) return pairs[0].name;
  const pick = await vscode.window.showQuickPick(pairs.map((p) => ({ label: p.name, description: p.enabled ? p.status : "Disabled" })), { placeHolder: "Which pair?" });
  return pick?.label;
}

/** The tree node's or argument's name without asking: config commands resolve it against the file. */
export function pairNameOf(arg: PairsNode | string | undefined): string | undefined {
  return typeof arg === "string" ? arg : arg?.pair.name;
}
