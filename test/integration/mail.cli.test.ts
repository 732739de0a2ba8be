import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { SMTP_PASSWORD_ENV } from "../../engine/src/notify/smtpPasswords";
import { ensureEngineBuilt, runEngineCli } from "../support/engineCli";
import { SmtpTestServer } from "../support/smtpTestServer";

const PORT = 22580;
const AUTH_PORT = 22581;
const PASSWORD = "cli-s3cret/Pa55";

function configXml(smtp: string, recipients: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<redundancyMaster version="1">
  <notifications enabled="false" from="engine@plant4.example" subject="Plant 4 mail test">
    ${smtp}
    ${recipients.map((r) => `<to>${r}</to>`).join("\n    ")}
    <header>Plant 4 redundancy</header>
  </notifications>
</redundancyMaster>
`;
}

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runEngineCli(args, 30_000, env);

describe("redundancymaster test-email FILE", () => {
  let dir: string;
  let server: SmtpTestServer;
  let authServer: SmtpTestServer;

  before(async () => {
    await ensureEngineBuilt();
    dir = mkdtempSync(join(tmpdir(), "rm-test-email-"));
    server = await SmtpTestServer.start({ port: PORT, refuseRecipients: ["john@xyz.example"] });
    authServer = await SmtpTestServer.start({ port: AUTH_PORT, auth: { user: "alerts", pass: PASSWORD } });
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await Promise.all([server.stop(), authServer.stop()]);
  });

  test("one accepted and one refused recipient: a line for each, exit 1", async () => {
    const file = join(dir, "mixed.xml");
    writeFileSync(file, configXml(`<smtp role="primary" host="127.0.0.1" port="${PORT}"/>`, ["bob@home.example", "john@xyz.example"]));
    const { code, stdout, stderr } = await run(["test-email", file]);
    assert.equal(stderr, "");
    assert.deepEqual(stdout.trimEnd().split("\n"), [
      `accepted bob@home.example: accepted by primary SMTP 127.0.0.1:${PORT}`,
      `refused  john@xyz.example: refused by primary SMTP 127.0.0.1:${PORT}: 550 <john@xyz.example>: mailbox unavailable`,
    ]);
    assert.equal(code, 1);
    const mail = server.mails.at(-1)!;
    assert.deepEqual(mail.to, ["bob@home.example"]);
    assert.equal(mail.subject, "Plant 4 mail test (test message)");
    assert.match(mail.body, /^Plant 4 redundancy\n\nThis is a test message from RedundancyMaster/);
  });

  test("every recipient accepted, AUTH with the password from the environment: exit 0 and the password nowhere in the output", async () => {
    const file = join(dir, "auth.xml");
    writeFileSync(file, configXml(`<smtp role="primary" host="127.0.0.1" port="22582"/>\n    <smtp role="secondary" host="127.0.0.1" port="${AUTH_PORT}" user="alerts"/>`, ["bob@home.example"]));
    const { code, stdout, stderr } = await run(["test-email", file], { [SMTP_PASSWORD_ENV.secondary]: PASSWORD });
    assert.equal(stdout, `accepted bob@home.example: accepted by secondary SMTP 127.0.0.1:${AUTH_PORT}\n`, stderr);
    assert.equal(code, 0);
    assert.equal(authServer.mails.at(-1)?.user, "alerts");
    assert.ok(!(stdout + stderr).includes(PASSWORD));
  });

  test("no server reachable: every recipient refused with the reason, exit 1", async () => {
    const file = join(dir, "down.xml");
    writeFileSync(file, configXml(`<smtp role="primary" host="127.0.0.1" port="22582"/>`, ["bob@home.example"]));
    const { code, stdout } = await run(["test-email", file]);
    assert.match(stdout, /^refused  bob@home\.example: primary SMTP 127\.0\.0\.1:22582: connect ECONNREFUSED 127\.0\.0\.1:22582\n$/);
    assert.equal(code, 1);
  });

  test("usage and config errors exit 2 with a message", async () => {
    const missing = await run(["test-email", join(dir, "nope.xml")]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*nope\.xml: no such file/);

    const broken = join(dir, "broken.xml");
    writeFileSync(broken, configXml(`<smtp role="primary" host="127.0.0.1" port="99999"/>`, ["not-an-address"]));
    const invalid = await run(["test-email", broken]);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /broken\.xml has 2 errors: .*RM003.*RM051/);

    const empty = join(dir, "empty.xml");
    writeFileSync(empty, `<redundancyMaster version="1"/>\n`);
    const noRecipients = await run(["test-email", empty]);
    assert.equal(noRecipients.code, 2);
    assert.match(noRecipients.stderr, /empty\.xml cannot send mail: its <notifications> needs <to> recipients/);

    const noFile = await run(["test-email"]);
    assert.equal(noFile.code, 2);
    assert.match(noFile.stderr, /test-email needs exactly one FILE/);

    const help = await run(["test-email", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: redundancymaster test-email FILE/);
  });
});
