import * as vscode from "vscode";

/** The state folder of the engine the extension runs: machine-local and per workspace (the enabled/disabled state must not travel with the config). */
export function engineStateDir(context: vscode.ExtensionContext): string {
  return vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, "engine").fsPath;
}
