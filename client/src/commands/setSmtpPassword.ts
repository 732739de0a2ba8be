import * as vscode from "vscode";
import { setSecrets, type SmtpRole } from "../../../engine/src/control/clientApi";
import type { Services } from "../services";

/** Stores an SMTP password in SecretStorage (never in the config file) and hands it to a running engine. */
export async function setSmtpPassword(services: Services): Promise<void> {
  const role = await vscode.window.showQuickPick(
    [
      { label: "primary" as SmtpRole, description: '<smtp role="primary">' },
      { label: "secondary" as SmtpRole, description: '<smtp role="secondary">' },
    ],
    { placeHolder: "The password of which SMTP server?" },
  );
  if (!role) return;
  const password = await vscode.window.showInputBox({ prompt: `Password for the ${role.label} SMTP server (empty: forget it)`, password: true, ignoreFocusOut: true });
  if (password === undefined) return;
  await services.secrets.setSmtpPassword(role.label, password);
  if (services.engine.state === "running") await services.engine.connection.sendNotification(setSecrets, await services.secrets.engineSecrets());
  void vscode.window.showInformationMessage(password ? `The ${role.label} SMTP password is stored in VS Code's secret storage.` : `The ${role.label} SMTP password is forgotten.`);
}
