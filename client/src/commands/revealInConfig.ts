import * as vscode from "vscode";
import { requireConfigFile } from "../configFile";
import { pickServer, spanRange } from "../configServers";
import type { PairsNode } from "../views/pairsTree";
import { pairNameOf } from "./pairArgument";

export async function revealInConfig(arg?: PairsNode | string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(await requireConfigFile());
  const server = await pickServer(document, pairNameOf(arg), "Reveal which pair?");
  if (!server) return;
  const range = spanRange(document, server.element.startTagSpan);
  await vscode.window.showTextDocument(document, { selection: range });
}
