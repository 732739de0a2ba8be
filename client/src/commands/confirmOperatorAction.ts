import * as vscode from "vscode";

/**
 * Asks before an action that moves or stops what clients are served from (Force Failover, Stop
 * Engine), unless `redundancymaster.confirmOperatorActions` is off or the caller already asked
 * (`confirmed`: tests, keybindings). True to go ahead.
 */
export async function confirmOperatorAction(question: string, detail: string, action: string, confirmed?: boolean): Promise<boolean> {
  if (confirmed === true) return true;
  if (!vscode.workspace.getConfiguration("redundancymaster").get<boolean>("confirmOperatorActions", true)) return true;
  return (await vscode.window.showWarningMessage(question, { modal: true, detail }, action)) === action;
}
