import * as vscode from "vscode";
import { requireConfigFile } from "../configFile";
import { pickServer, serverElements } from "../configServers";
import { attribute } from "../../../engine/src/control/clientApi";
import type { PairsNode } from "../views/pairsTree";
import { pairNameOf } from "./pairArgument";

/** Removes a pair's alias; refused while another pair goes by the original name, as the seed says. */
export async function unaliasServer(arg?: PairsNode | string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(await requireConfigFile());
  const server = await pickServer(document, pairNameOf(arg), "Unalias which pair?");
  if (!server) return;
  const alias = attribute(server.element, "alias");
  if (!alias) throw new Error(`'${server.effectiveName}' has no alias.`);
  const holder = serverElements(document).find((s) => s.element !== server.element && s.effectiveName === server.name);
  if (holder) throw new Error(`Cannot unalias '${server.effectiveName}': the name '${server.name}' is in use by another pair. Alias or remove that pair first.`);
  // from the space before alias="…" to its closing quote
  const text = document.getText();
  let start = alias.nameSpan.start;
  while (start > 0 && /\s/.test(text[start - 1])) start--;
  const edit = new vscode.WorkspaceEdit();
  edit.delete(document.uri, new vscode.Range(document.positionAt(start), document.positionAt(alias.valueSpan.end + 1)));
  await vscode.workspace.applyEdit(edit);
  await vscode.window.showTextDocument(document, { preview: false });
}
