import * as vscode from "vscode";
import type { PairSnapshot } from "../../../engine/src/control/clientApi";
import type { Services } from "../services";
import type { PairsNode } from "../views/pairsTree";

/** Which pairs a command applies to, for its picker, and what to say when none does. */
export interface PairChoice {
  applies(pair: PairSnapshot): boolean;
  none: string;
}

export const ANY_PAIR: PairChoice = { applies: () => true, none: "The engine reports no pairs (is it running?)." };
export const DISABLED_PAIR: PairChoice = { applies: (p) => !p.enabled, none: "Every pair is enabled on this machine already." };
export const ENABLED_PAIR: PairChoice = { applies: (p) => p.enabled, none: "No pair is enabled on this machine." };

/**
 * A command's pair: a tree node, a name (tests, keybindings), else picked from the engine's pairs
 * the command applies to (Enable offers the disabled ones only); one such pair is taken at once.
 */
export async function pairArgument(services: Services, arg: PairsNode | string | undefined, choice: PairChoice = ANY_PAIR): Promise<string | undefined> {
  if (typeof arg === "string") return arg;
  if (arg) return arg.pair.name;
  if (services.engine.state !== "running") throw new Error(ANY_PAIR.none);
  const pairs = services.pairs.all().filter((p) => choice.applies(p));
  if (pairs.length === 0) {
    void vscode.window.showInformationMessage(choice.none);
    return undefined;
  }
  if (pairs.length === 1) return pairs[0].name;
  const pick = await vscode.window.showQuickPick(
    pairs.map((p) => ({ label: p.name, description: p.enabled ? p.status : "Disabled" })),
    { placeHolder: "Which pair?" },
  );
  return pick?.label;
}

/** The tree node's or argument's name without asking: config commands resolve it against the file. */
export function pairNameOf(arg: PairsNode | string | undefined): string | undefined {
  return typeof arg === "string" ? arg : arg?.pair.name;
}
