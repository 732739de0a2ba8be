import type * as vscode from "vscode";
import type { EngineSecrets, SmtpRole } from "../../engine/src/control/clientApi";

const key = (role: SmtpRole) => `redundancymaster.smtpPassword.${role}`;

/** SMTP passwords in VS Code's SecretStorage; handed to the engine on its control channel at start. */
export class Secrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  async setSmtpPassword(role: SmtpRole, password: string | undefined): Promise<void> {
    if (password) await this.storage.store(key(role), password);
    else await this.storage.delete(key(role));
  }

  async engineSecrets(): Promise<EngineSecrets> {
    const [primary, secondary] = await Promise.all([this.storage.get(key("primary")), this.storage.get(key("secondary"))]);
    return primary || secondary ? { smtpPasswords: { primary, secondary } } : {};
  }
}
