import * as vscode from "vscode";

export async function openEventLog(): Promise<void> {
  await vscode.commands.executeCommand("redundancymaster.events.focus");
}
