import type { EngineSecrets } from "../control/protocol";
import type { SmtpRole } from "../config/model";

/** Environment variables an SMTP password may come from when the extension did not pass one. */
export const SMTP_PASSWORD_ENV: Readonly<Record<SmtpRole, string>> = {
  primary: "REDUNDANCYMASTER_SMTP_PASSWORD",
  secondary: "REDUNDANCYMASTER_SMTP_SECONDARY_PASSWORD",
};

/** The password for one SMTP server: the extension's secret store first, then the environment. */
export function smtpPassword(role: SmtpRole, secrets: EngineSecrets | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const password = secrets?.smtpPasswords?.[role] ?? env[SMTP_PASSWORD_ENV[role]];
  return password === "" ? undefined : password;
}

/**
 * Hides every known password in a text bound for a log line, an event or a CLI result. Servers
 * and libraries may echo what they were sent, so the base64 form (AUTH LOGIN's) is hidden too.
 */
export function redactSecrets(text: string, passwords: readonly (string | undefined)[]): string {
  let redacted = text;
  for (const password of passwords) {
    if (!password) continue;
    for (const form of [password, Buffer.from(password).toString("base64")]) redacted = redacted.split(form).join("***");
  }
  return redacted;
}
