import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { formatEventText } from "../../engine/src/events/catalog";
import { Notifier, type NotifierOptions } from "../../engine/src/notify/notifier";
import { loopbackSmtp, notifications, runtimeEvent } from "../support/mailFixtures";
import { SmtpTestServer } from "../support/smtpTestServer";

const PRIMARY_PORT = 22570;
const SECONDARY_PORT = 22571;

/** Collects the notifier's emailFailed events and log lines; resolves waiters as events come. */
class Observed {
  readonly failures: string[] = [];
  readonly logs: string[] = [];
  private wake: (() => void) | undefined;

  readonly options: Pick<NotifierOptions, "postEvent" | "log"> = {
    postEvent: (kind, fields) => {
      this.failures.push(formatEventText(kind, fields));
      this.wake?.();
    },
    log: (line) => this.logs.push(line),
  };

  async failure(count: number, timeoutMs = 10_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.failures.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} emailFailed events, got ${this.failures.length}`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 100);
      });
    }
    return this.failures;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("e-mail through the primary or the secondary SMTP server", () => {
  let primary: SmtpTestServer;
  let secondary: SmtpTestServer;
  const config = notifications({ primary: loopbackSmtp(PRIMARY_PORT), secondary: loopbackSmtp(SECONDARY_PORT) });
  // A window of 1 ms sends each event in a mail of its own, so each step below is one mail.
  const fast = { digest: { windowMs: 1 }, timeouts: { connectionMs: 1000, greetingMs: 500, socketMs: 2000, attemptMs: 4000 } };

  before(async () => {
    primary = await SmtpTestServer.start({ port: PRIMARY_PORT });
    secondary = await SmtpTestServer.start({ port: SECONDARY_PORT });
  });
  after(async () => {
    await Promise.all([primary.stop(), secondary.stop()]);
  });
  beforeEach(() => {
    for (const server of [primary, secondary]) {
      server.mails.length = 0;
      server.connections = 0;
      server.mode = "up";
    }
  });

  test("primary up: the mail has the configured sender, recipients, subject, header, footer and the event", async () => {
    const observed = new Observed();
    const notifier = new Notifier(config, { ...observed.options, ...fast });
    const event = runtimeEvent("statusLost", "primary");
    notifier.notify(event);
    const [mail] = await primary.waitForMails(1);
    await notifier.close();
    assert.equal(mail.from, "engine@plant4.example");
    assert.deepEqual(mail.to, ["bob@home.example", "john@xyz.example"]);
    assert.equal(mail.headers.from, "engine@plant4.example");
    assert.equal(mail.headers.to, "bob@home.example, john@xyz.example");
    assert.equal(mail.subject, "RedundancyMaster e-mail notification.");
    assert.match(mail.body, /^Plant 4 redundancy\n/);
    assert.match(mail.body, /\nSent by the redundancy engine\n$/);
    assert.ok(mail.body.includes(event.text), mail.body);
    assert.ok(event.text.startsWith("Unable to retrieve status for server 'KEPware.KEPServerEx.V6.Alias1' on primary machine 'localhost'"));
    for (const line of ["Process: redundancymaster", "Pair:    KEPware.KEPServerEx.V6.Alias1", "Side:    primary", "Event:   statusLost.primary (error)"]) {
      assert.ok(mail.body.includes(line), `${line} missing in\n${mail.body}`);
    }
    assert.equal(secondary.connections, 0);
    assert.deepEqual(observed.failures, []);
  });

  test("primary down: the secondary takes the mail and is tried first until it fails, then the primary again", async () => {
    const observed = new Observed();
    const notifier = new Notifier(config, { ...observed.options, ...fast });
    primary.mode = "refuse";

    notifier.notify(runtimeEvent("promoted", "secondary"));
    await secondary.waitForMails(1);
    assert.equal(primary.connections, 1, "the primary was tried first");

    notifier.notify(runtimeEvent("statusLost", "primary"));
    await secondary.waitForMails(2);
    assert.equal(primary.connections, 1, "once the secondary worked, it is tried first");

    primary.mode = "up";
    notifier.notify(runtimeEvent("promoted", "secondary"));
    await secondary.waitForMails(3);
    assert.equal(primary.connections, 1, "the secondary is kept while it works, even with the primary back");

    secondary.mode = "refuse";
    notifier.notify(runtimeEvent("statusLost", "primary"));
    await primary.waitForMails(1);
    assert.equal(secondary.connections, 4, "the secondary was tried first and failed");

    notifier.notify(runtimeEvent("promoted", "secondary"));
    await primary.waitForMails(2);
    assert.equal(secondary.connections, 4, "after the secondary failed the primary is first again");
    await notifier.close();
    assert.deepEqual(observed.failures, []);
    assert.ok(
      observed.logs.some((l) => l.includes("sent through secondary SMTP 127.0.0.1:22571 after primary SMTP 127.0.0.1:22570 failed")),
      observed.logs.join("\n"),
    );
  });

  test("a primary that accepts but never greets costs the greeting timeout, then the secondary takes the mail", async () => {
    const observed = new Observed();
    const notifier = new Notifier(config, { ...observed.options, ...fast });
    primary.mode = "hang";
    notifier.notify(runtimeEvent("statusLost", "primary"));
    const [mail] = await secondary.waitForMails(1);
    await notifier.close();
    assert.ok(mail.body.includes("statusLost.primary"));
    assert.equal(primary.connections, 1);
    assert.match(observed.logs.join("\n"), /primary SMTP 127\.0\.0\.1:22570 failed: Greeting never received/);
  });

  test("a primary that stalls after the data is given up after the attempt limit, then the secondary takes the mail", async () => {
    const observed = new Observed();
    const notifier = new Notifier(config, { ...observed.options, ...fast, timeouts: { ...fast.timeouts, socketMs: 5000, attemptMs: 800 } });
    primary.mode = "stall";
    notifier.notify(runtimeEvent("statusLost", "primary"));
    await secondary.waitForMails(1);
    await notifier.close();
    assert.equal(primary.mails.length, 0);
    assert.match(observed.logs.join("\n"), /after primary SMTP 127\.0\.0\.1:22570 failed: gave up after 800 ms/);
  });

  test("both down: the mail is discarded with one emailFailed event, one attempt per server, no retries", async () => {
    const observed = new Observed();
    const notifier = new Notifier(config, { ...observed.options, ...fast });
    primary.mode = "refuse";
    secondary.mode = "refuse";
    assert.doesNotThrow(() => notifier.notify(runtimeEvent("statusLost", "primary")));
    const [failure] = await observed.failure(1);
    assert.match(failure, /^E-mail notification could not be sent through the primary or the secondary SMTP server and was discarded: /);
    assert.ok(failure.includes("primary SMTP 127.0.0.1:22570 failed: ") && failure.includes("421 Service not available"), failure);
    assert.ok(failure.includes("secondary SMTP 127.0.0.1:22571 failed: "), failure);
    assert.ok(failure.includes("1 event discarded"), failure);
    await sleep(1000);
    assert.deepEqual([primary.connections, secondary.connections, observed.failures.length], [1, 1, 1], "no retry after the failure");

    primary.mode = "up";
    notifier.notify(runtimeEvent("promoted", "secondary"));
    await primary.waitForMails(1);
    assert.equal(secondary.connections, 1, "after both failed, the next mail starts at the primary");
    await notifier.close();
  });

  test("both down during a burst: one attempt per server per digest, never a retry storm", async () => {
    const observed = new Observed();
    const notifier = new Notifier(config, { ...observed.options, ...fast, digest: { windowMs: 400, maxEventsPerMail: 50 } });
    primary.mode = "refuse";
    secondary.mode = "refuse";
    for (let i = 0; i < 100; i++) notifier.notify(runtimeEvent(i % 2 ? "promoted" : "statusLost", i % 2 ? "secondary" : "primary"));
    const failures = await observed.failure(2);
    await sleep(1000);
    assert.equal(failures.length, 2, "the first event alone, then one digest of the other 99");
    assert.ok(failures[1].includes("99 events discarded"), failures[1]);
    assert.deepEqual([primary.connections, secondary.connections], [2, 2]);
    await notifier.close();
  });

  test("only selected events are mailed, and emailFailed never is", async () => {
    const observed = new Observed();
    const notifier = new Notifier({ ...config, events: [...config.events, "emailFailed"] }, { ...observed.options, ...fast });
    notifier.notify(runtimeEvent("connected", "primary"));
    notifier.notify({ ...runtimeEvent("statusLost", "primary"), id: "emailFailed", text: "E-mail notification could not be sent" });
    notifier.notify(runtimeEvent("promoted", "secondary"));
    const [mail] = await primary.waitForMails(1);
    await notifier.close();
    assert.equal(primary.mails.length, 1);
    assert.ok(mail.body.includes("promoted.secondary"));
    assert.ok(!mail.body.includes("connected.primary") && !mail.body.includes("E-mail notification"), mail.body);
  });

  test("disabled notifications send nothing, and enabling them by a config reload does", async () => {
    const observed = new Observed();
    const notifier = new Notifier({ ...config, enabled: false }, { ...observed.options, ...fast });
    notifier.notify(runtimeEvent("statusLost", "primary"));
    await sleep(300);
    assert.equal(primary.connections + secondary.connections, 0);

    notifier.updateConfig(config);
    notifier.notify(runtimeEvent("promoted", "secondary"));
    const [mail] = await primary.waitForMails(1);
    await notifier.close();
    assert.ok(mail.body.includes("promoted.secondary") && !mail.body.includes("statusLost.primary"), mail.body);
  });

  test("test mail: one result per recipient, accepted through the secondary when the primary is down", async () => {
    const observed = new Observed();
    const notifier = new Notifier({ ...config, enabled: false }, { ...observed.options, ...fast });
    primary.mode = "refuse";
    const results = await notifier.sendTest();
    assert.deepEqual(
      results.map((r) => [r.recipient, r.accepted, r.detail]),
      [
        ["bob@home.example", true, "accepted by secondary SMTP 127.0.0.1:22571"],
        ["john@xyz.example", true, "accepted by secondary SMTP 127.0.0.1:22571"],
      ],
    );
    assert.equal(secondary.mails[0].subject, "RedundancyMaster e-mail notification. (test message)");
    assert.match(secondary.mails[0].body, /This is a test message from RedundancyMaster/);

    secondary.mode = "refuse";
    const failed = await notifier.sendTest();
    assert.ok(
      failed.every((r) => !r.accepted && r.detail.includes("secondary SMTP 127.0.0.1:22571: ") && r.detail.includes("primary SMTP 127.0.0.1:22570: ")),
      JSON.stringify(failed),
    );
    assert.deepEqual(observed.failures, [], "a test mail reports to its caller, not as an event");
    await notifier.close();
  });
});
