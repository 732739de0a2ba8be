import * as vscode from "vscode";
import { elementRemoval } from "../../../engine/src/control/clientApi";
import { requireConfigFile } from "../configFile";
import { pickServer } from "../configServers";
import type { PairsNode } from "../views/pairsTree";
import { pairNameOf } from "./pairArgument";

/** Deletes a pair's `<server>` element (and its line) from the open config, after asking. */
export async function removeServer(arg?: PairsNode | string, confirmed = false): Promise<void> {
  const document = await vscode.workspace.openTextDocument(await requireConfigFile());
  const server = await pickServer(document, pairNameOf(arg), "Remove which pair?");
  if (!server) return;
  if (!confirmed) {
    const ok = await vscode.window.showWarningMessage(
      `Remove the redundant server configuration '${server.effectiveName}'?`,
      { modal: true, detail: "The file is modified; the engine applies it when you save." },
      "Remove",
    );
    if (ok !== "Remove") return;
  }
  const removal = elementRemoval(document.getText(), server.element.span);
  const edit = new vscode.WorkspaceEdit();
  edit.delete(document.uri, new vscode.Range(document.positionAt(removal.start), document.positionAt(removal.end)));
  await vscode.workspace.applyEdit(edit);
  await vscode.window.showTextDocument(document, { preview: false });
}
