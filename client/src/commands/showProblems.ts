import * as vscode from "vscode";
import { requireConfigFile } from "../configFile";
import type { Services } from "../services";

/**
 * The configuration's problems: the file opened at the first error the engine refused it for (the
 * language server reports the problems of open files only), and the Problems view beside it.
 */
export async function showProblems(services: Services): Promise<void> {
  const refusal = services.configStatus.errors;
  const uri = refusal ? vscode.Uri.file(refusal.configFile) : await requireConfigFile();
  const first = refusal?.errors[0];
  const at = first ? new vscode.Position(first.line - 1, first.column - 1) : new vscode.Position(0, 0);
  await vscode.window.showTextDocument(uri, { preview: false, selection: new vscode.Range(at, at) });
  await vscode.commands.executeCommand("workbench.actions.view.problems");
}
