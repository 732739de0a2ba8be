import * as vscode from "vscode";
import { attribute, childElements, parseXml, type XmlElement } from "../../engine/src/control/clientApi";

/** A `<server>` element of the open config document, with what the config commands edit. */
export interface ServerElement {
  name: string;
  alias?: string;
  /** Alias, else name: the pair's key. */
  effectiveName: string;
  element: XmlElement;
}

export function serverElements(document: vscode.TextDocument): ServerElement[] {
  const root = parseXml(document.getText()).root;
  if (!root) return [];
  return childElements(root, "server").map((element) => {
    const name = attribute(element, "name")?.value ?? "";
    const alias = attribute(element, "alias")?.value || undefined;
    return { name, alias, effectiveName: alias ?? name, element };
  });
}

export function spanRange(document: vscode.TextDocument, span: { start: number; end: number }): vscode.Range {
  return new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
}

/** The pair named by a tree node or a command argument, else the one the user picks. */
export async function pickServer(document: vscode.TextDocument, name: string | undefined, placeHolder: string): Promise<ServerElement | undefined> {
  const servers = serverElements(document);
  if (name) {
    const found = servers.find((s) => s.effectiveName === name);
    if (!found) throw new Error(`No <server> named '${name}' in ${vscode.workspace.asRelativePath(document.uri)}.`);
    return found;
  }
  if (servers.length === 0) throw new Error(`No <server> in ${vscode.workspace.asRelativePath(document.uri)}.`);
  const pick = await vscode.window.showQuickPick(
    servers.map((s) => ({ label: s.effectiveName, description: s.alias ? `alias of ${s.name}` : undefined, server: s })),
    { placeHolder },
  );
  return pick?.server;
}
