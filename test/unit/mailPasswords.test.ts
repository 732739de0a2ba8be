import assert from "node:assert/strict";
import { test } from "node:test";
import { redactSecrets, SMTP_PASSWORD_ENV, smtpPassword } from "../../engine/src/notify/smtpPasswords";

test("the extension's secret wins over the environment, per server", () => {
  const env = { [SMTP_PASSWORD_ENV.primary]: "from-env", [SMTP_PASSWORD_ENV.secondary]: "from-env-2" };
  assert.equal(smtpPassword("primary", { smtpPasswords: { primary: "from-store" } }, env), "from-store");
  assert.equal(smtpPassword("secondary", { smtpPasswords: { primary: "from-store" } }, env), "from-env-2");
  assert.equal(smtpPassword("primary", undefined, env), "from-env");
  assert.equal(smtpPassword("primary", undefined, { [SMTP_PASSWORD_ENV.primary]: "" }), undefined, "an empty variable is no password");
  assert.deepEqual(SMTP_PASSWORD_ENV, { primary: "REDUNDANCYMASTER_SMTP_PASSWORD", secondary: "REDUNDANCYMASTER_SMTP_SECONDARY_PASSWORD" });
});

test("redaction hides a password and its base64 form wherever they occur", () => {
  const secret = "p@ss w0rd";
  const base64 = Buffer.from(secret).toString("base64");
  assert.equal(redactSecrets(`535 bad ${secret}; AUTH LOGIN ${base64}; again ${secret}`, [secret, undefined]), "535 bad ***; AUTH LOGIN ***; again ***");
  assert.equal(redactSecrets("nothing to hide", [undefined, ""]), "nothing to hide");
});
