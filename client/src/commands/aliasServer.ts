import * as vscode from "vscode";
import { requireConfigFile } from "../configFile";
import { pickServer, serverElements, spanRange } from "../configServers";
import { attribute } from "../../../engine/src/control/clientApi";
import type { PairsNode } from "../views/pairsTree";
import { pairNameOf } from "./pairArgument";

/**
 * Gives a pair an alias (so several pairs can share one server name) as an edit of the open config:
 * the file shows as modified until saved, and the engine applies it on save.
 */
export async function aliasServer(arg?: PairsNode | string, aliasArg?: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(await requireConfigFile());
  const server = await pickServer(document, pairNameOf(arg), "Alias which pair?");
  if (!server) return;
  const taken = new Set(
    serverElements(document)
      .filter((s) => s.element !== server.element)
      .map((s) => s.effectiveName),
  );
  const validate = (value: string) =>
    !value.trim() ? "An alias cannot be empty." : /[<>&]/.test(value) ? "An alias must not contain <, > or &." : taken.has(value) ? `'${value}' is already the name of another pair.` : undefined;
  const alias = aliasArg ?? (await vscode.window.showInputBox({ prompt: `Alias for '${server.name}'`, value: server.alias ?? `${server.name}.Alias1`, validateInput: validate }));
  if (alias === undefined) return;
  const problem = validate(alias);
  if (problem) throw new Error(problem);
  const edit = new vscode.WorkspaceEdit();
  const existing = attribute(server.element, "alias");
  const nameAttribute = attribute(server.element, "name");
  if (existing) edit.replace(document.uri, spanRange(document, existing.valueSpan), alias);
  else if (nameAttribute) edit.insert(document.uri, document.positionAt(nameAttribute.valueSpan.end + 1), ` alias="${alias}"`);
  else edit.insert(document.uri, document.positionAt(server.element.nameSpan.end), ` alias="${alias}"`);
  await vscode.workspace.applyEdit(edit);
  await vscode.window.showTextDocument(document, { preview: false });
}
