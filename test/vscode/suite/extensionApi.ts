import * as vscode from "vscode";
import type { ExtensionApi } from "../../../client/src/extension";

export const EXTENSION_ID = "redundancymaster-oss.redundancymaster";

/** The activated extension's exports. */
export async function extensionApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export function workspaceFile(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, relative);
}
