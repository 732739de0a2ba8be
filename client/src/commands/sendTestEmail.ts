import * as vscode from "vscode";
import { Methods } from "../../../engine/src/control/clientApi";
import type { Services } from "../services";

/** A test mail to every recipient of the notifications, through the running engine. */
export async function sendTestEmail(services: Services): Promise<void> {
  const results = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: "Sending a test e-mail…" }, () =>
    services.engine.connection.sendRequest(Methods.testEmail),
  );
  for (const r of results) services.log.line(`test e-mail ${r.accepted ? "accepted" : "refused"} ${r.recipient}: ${r.detail}`);
  const refused = results.filter((r) => !r.accepted);
  if (results.length === 0) void vscode.window.showWarningMessage("The configuration names no e-mail recipients.");
  else if (refused.length === 0) void vscode.window.showInformationMessage(`Test e-mail accepted for ${results.map((r) => r.recipient).join(", ")}.`);
  else void vscode.window.showErrorMessage(`Test e-mail refused for ${refused.map((r) => `${r.recipient} (${r.detail})`).join(", ")}.`);
}
