import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { Notifier } from "../../engine/src/notify/notifier";
import { loopbackSmtp, notifications, runtimeEvent } from "../support/mailFixtures";
import { SmtpTestServer } from "../support/smtpTestServer";

const PORT = 22578;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The rule over time (one mail per window, exactly) is tested on a mocked clock in test/unit/notificationQueue.test.ts.
describe("a burst of events becomes a digest", () => {
  let server: SmtpTestServer;
  const config = notifications({ primary: loopbackSmtp(PORT), events: ["statusLost.primary", "promoted.secondary", "promoted.primary"] });
  const noEvents = { postEvent: () => assert.fail("no mail should fail") };

  before(async () => {
    server = await SmtpTestServer.start({ port: PORT });
  });
  after(() => server.stop());
  beforeEach(() => {
    server.mails.length = 0;
  });

  test("200 events at once: the first mailed at once, the other 199 in one digest listing 50 of them", async () => {
    const notifier = new Notifier(config, { ...noEvents, digest: { windowMs: 500, maxEventsPerMail: 50 } });
    const events = Array.from({ length: 200 }, (_, i) => runtimeEvent(i % 2 ? "promoted" : "statusLost", i % 2 ? "secondary" : "primary", new Date(Date.UTC(2026, 10, 22, 3, 0, i)).toISOString()));
    for (const e of events) notifier.notify(e);
    const [first, digest] = await server.waitForMails(2);
    await sleep(1500);
    await notifier.close();
    assert.equal(server.mails.length, 2, "the documented bound: one mail at once, then one per window");
    assert.ok(!first.body.includes(" events:"), "the first event goes alone");
    assert.equal(first.body.match(/^Event: /gm)?.length, 1);
    assert.match(digest.body, /^Plant 4 redundancy\n\n199 events:\n/);
    assert.equal(digest.body.match(/^Event: /gm)?.length, 50);
    assert.ok(digest.body.includes("… 149 more events in this period, not listed here (see the event log) …"), digest.body);
    assert.match(digest.body, /… 149 more events[^\n]*\n\nDate:    2026-11-22\nTime:    \d\d:03:19/, "the latest event (#200, 03:03:19 UTC) closes the digest");
  });

  test("close() sends a waiting digest at once instead of after the window", async () => {
    const notifier = new Notifier(config, { ...noEvents, digest: { windowMs: 60_000 } });
    notifier.notify(runtimeEvent("statusLost", "primary"));
    notifier.notify(runtimeEvent("promoted", "secondary"));
    notifier.notify(runtimeEvent("promoted", "primary"));
    await notifier.close();
    assert.equal(server.mails.length, 2);
    assert.match(server.mails[1].body, /2 events:/);
    notifier.notify(runtimeEvent("statusLost", "primary"));
    await sleep(200);
    assert.equal(server.mails.length, 2, "a closed notifier sends nothing more");
  });
});
