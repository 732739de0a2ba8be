import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { formatEventText } from "../../engine/src/events/catalog";
import { Notifier, type NotifierOptions } from "../../engine/src/notify/notifier";
import { SMTP_PASSWORD_ENV } from "../../engine/src/notify/smtpPasswords";
import { loopbackSmtp, notifications, runtimeEvent } from "../support/mailFixtures";
import { makeTestCertificate, SmtpTestServer, type TestCertificate } from "../support/smtpTestServer";

const TLS_PORT = 22575;
const DOWN_PORT = 22576;
const IMPLICIT_TLS_PORT = 22577;
const PLAIN_PORT = 22579;
const PASSWORD = "Pl4nt-4_smtp:secret";
const SECONDARY_PASSWORD = "an0ther-secret!";
const WRONG_PASSWORD = "wr0ng-but-still-secret";

/** Everything a Notifier says: its log lines and its events' texts. */
function capture() {
  const said: string[] = [];
  const options: Pick<NotifierOptions, "postEvent" | "log"> = {
    postEvent: (kind, fields) => said.push(formatEventText(kind, fields)),
    log: (line) => said.push(line),
  };
  return { said, options };
}

function assertNoSecret(texts: string[], results: unknown = []): void {
  const all = texts.join("\n") + JSON.stringify(results);
  for (const secret of [PASSWORD, SECONDARY_PASSWORD, WRONG_PASSWORD]) {
    for (const form of [secret, Buffer.from(secret).toString("base64")]) assert.ok(!all.includes(form), `a password leaked into:\n${all}`);
  }
}

describe("STARTTLS and AUTH", () => {
  let cert: TestCertificate;
  let server: SmtpTestServer;
  let refusing: SmtpTestServer;
  const timeouts = { connectionMs: 1000, greetingMs: 1000, socketMs: 3000, attemptMs: 5000 };
  const starttls = loopbackSmtp(TLS_PORT, { secure: "starttls", user: "alerts" });

  before(async () => {
    cert = makeTestCertificate();
    server = await SmtpTestServer.start({ port: TLS_PORT, tls: cert, auth: { user: "alerts", pass: PASSWORD } });
    refusing = await SmtpTestServer.start({ port: DOWN_PORT, mode: "refuse" });
  });
  after(async () => {
    delete process.env[SMTP_PASSWORD_ENV.primary];
    await Promise.all([server.stop(), refusing.stop()]);
  });

  test("the primary's password comes from the environment; the session is encrypted and authenticated", async () => {
    process.env[SMTP_PASSWORD_ENV.primary] = PASSWORD;
    const { said, options } = capture();
    const notifier = new Notifier(notifications({ primary: starttls }), { ...options, timeouts, extraCa: cert.cert });
    notifier.notify(runtimeEvent("statusLost", "primary"));
    const [mail] = await server.waitForMails(1);
    await notifier.close();
    assert.equal(mail.secure, true, "STARTTLS was used");
    assert.equal(mail.user, "alerts");
    assert.ok(mail.body.includes("statusLost.primary"));
    assert.ok(
      said.some((l) => l.includes("sent through primary SMTP 127.0.0.1:22575")),
      said.join("\n"),
    );
    assertNoSecret(said);
  });

  test("the secondary's password comes from the secrets the extension passed", async () => {
    const { said, options } = capture();
    const notifier = new Notifier(notifications({ primary: loopbackSmtp(DOWN_PORT), secondary: starttls }), {
      ...options,
      timeouts,
      extraCa: cert.cert,
      secrets: { smtpPasswords: { secondary: PASSWORD } },
    });
    const before = server.mails.length;
    const results = await notifier.sendTest();
    await notifier.close();
    assert.deepEqual(
      results.map((r) => r.accepted),
      [true, true],
      JSON.stringify(results),
    );
    const mail = server.mails[before];
    assert.equal(mail.user, "alerts");
    assert.equal(mail.secure, true);
    assertNoSecret(said, results);
  });

  test('implicit TLS (secure="tls") with AUTH', async () => {
    const implicit = await SmtpTestServer.start({ port: IMPLICIT_TLS_PORT, tls: cert, implicitTls: true, auth: { user: "alerts", pass: PASSWORD } });
    try {
      const { said, options } = capture();
      const notifier = new Notifier(notifications({ primary: loopbackSmtp(IMPLICIT_TLS_PORT, { secure: "tls", user: "alerts" }) }), {
        ...options,
        timeouts,
        extraCa: cert.cert,
        secrets: { smtpPasswords: { primary: PASSWORD } },
      });
      const results = await notifier.sendTest();
      await notifier.close();
      assert.deepEqual(
        results.map((r) => r.accepted),
        [true, true],
        JSON.stringify(results),
      );
      assert.equal(implicit.mails[0].secure, true);
      assert.equal(implicit.mails[0].user, "alerts");
      assertNoSecret(said, results);
    } finally {
      await implicit.stop();
    }
  });

  test("starttls against a server that does not offer it fails instead of sending in the clear", async () => {
    const plain = await SmtpTestServer.start({ port: PLAIN_PORT });
    try {
      const { options } = capture();
      const notifier = new Notifier(notifications({ primary: loopbackSmtp(PLAIN_PORT, { secure: "starttls" }) }), { ...options, timeouts });
      const [result] = await notifier.sendTest();
      await notifier.close();
      assert.equal(result.accepted, false);
      assert.match(result.detail, /STARTTLS/);
      assert.equal(plain.mails.length, 0);
    } finally {
      await plain.stop();
    }
  });

  test("a wrong password fails the mail with an emailFailed event that does not contain it", async () => {
    const { said, options } = capture();
    const notifier = new Notifier(notifications({ primary: starttls, secondary: loopbackSmtp(DOWN_PORT) }), {
      ...options,
      timeouts,
      extraCa: cert.cert,
      secrets: { smtpPasswords: { primary: WRONG_PASSWORD, secondary: SECONDARY_PASSWORD } },
    });
    notifier.notify(runtimeEvent("statusLost", "primary"));
    const results = await notifier.sendTest();
    await notifier.close();
    const failure = said.find((l) => l.startsWith("E-mail notification could not be sent"));
    assert.ok(failure?.includes("primary SMTP 127.0.0.1:22575 failed: Invalid login: 535"), said.join("\n"));
    assert.ok(
      results.every((r) => !r.accepted && r.detail.includes("535")),
      JSON.stringify(results),
    );
    assertNoSecret(said, results);
  });

  test("a user without a password is refused before connecting, with where to put the password", async () => {
    delete process.env[SMTP_PASSWORD_ENV.primary];
    const { options } = capture();
    const notifier = new Notifier(notifications({ primary: starttls }), { ...options, timeouts, extraCa: cert.cert });
    const connections = server.connections;
    const [result] = await notifier.sendTest();
    await notifier.close();
    assert.equal(result.accepted, false);
    assert.match(result.detail, /user 'alerts' has no password/);
    assert.equal(server.connections, connections);
  });

  test("production trusts the system CAs only: the self-signed test certificate is rejected without the test's trust setting", async () => {
    const { options } = capture();
    const notifier = new Notifier(notifications({ primary: starttls }), { ...options, timeouts, secrets: { smtpPasswords: { primary: PASSWORD } } });
    const [result] = await notifier.sendTest();
    await notifier.close();
    assert.equal(result.accepted, false);
    assert.match(result.detail, /self-signed certificate/);
  });
});
