import * as vscode from "vscode";
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
    const ok = await vscode.window.showWarningMessage(`Remove the redundant server configuration '${server.effectiveName}'?`, { modal: true, detail: "The file is modified; the engine applies it when you save." }, "Remove");
    if (ok !== "Remove") return;
  }
  const start = document.positionAt(server.element.span.start);
  const end = document.positionAt(server.element.span.end);
  const wholeLines = document.lineAt(start.line).firstNonWhitespaceCharacterIndex === start.character && document.lineAt(end.line).text.slice(end.character).trim() === "";
  const range = wholeLines ? new vscode.Range(start.line, 0, end.line + 1, 0) : new vscode.Range(start, end);
  const edit = new vscode.WorkspaceEdit();
  edit.delete(document.uri, range);
  await vscode.workspace.applyEdit(edit);
  await vscode.window.showTextDocument(document, { preview: false });
}
