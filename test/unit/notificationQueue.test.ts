import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import type { MailBatch } from "../../engine/src/notify/mailBody";
import { NotificationQueue } from "../../engine/src/notify/notificationQueue";
import { runtimeEvent } from "../support/mailFixtures";

// The digest rule on a mocked clock and timers, so that the number of mails is exact rather than
// bounded by the wall time a loaded machine took. The SMTP side is tested in mail.digest.test.ts.
const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("the digest rule (NotificationQueue)", () => {
  let mails: MailBatch[];
  let queue: NotificationQueue;

  beforeEach(() => {
    mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 });
    mails = [];
  });
  afterEach(() => mock.timers.reset());

  const start = (windowMs: number, maxEventsPerMail: number) => {
    queue = new NotificationQueue(
      { windowMs, maxEventsPerMail },
      async (batch) => {
        mails.push(batch);
      },
      Date.now,
    );
  };

  it("a server flapping every 30 ms for 1.2 s: the first event at once, then exactly one digest per 300 ms window, none lost", async () => {
    start(300, 20);
    const events = Array.from({ length: 40 }, (_, i) => runtimeEvent(i % 2 ? "promoted" : "statusLost", i % 2 ? "secondary" : "primary"));
    for (const event of events) {
      queue.push(event);
      await settled();
      mock.timers.tick(30);
      await settled();
    }
    mock.timers.tick(300);
    await settled();
    assert.deepEqual(
      mails.map((m) => m.events.length),
      [1, 9, 10, 10, 10],
      "mails at 0, 300, 600, 900 and 1200 ms",
    );
    assert.deepEqual(
      mails.flatMap((m) => m.events.map((e) => e.seq)),
      events.map((e) => e.seq),
      "every event once, in order",
    );
    assert.ok(mails.every((m) => m.omitted === 0));
  });

  it("a window's burst beyond the per-mail maximum keeps the first ones and the latest, and counts the rest", async () => {
    start(1000, 5);
    const events = Array.from({ length: 12 }, (_, i) => runtimeEvent("statusLost", "primary", new Date(Date.UTC(2026, 10, 22, 3, 0, i)).toISOString()));
    for (const event of events) queue.push(event);
    await settled();
    mock.timers.tick(999);
    await settled();
    assert.equal(mails.length, 1, "nothing more before the window ends");
    mock.timers.tick(1);
    await settled();
    assert.equal(mails.length, 2);
    assert.deepEqual(
      mails[1].events.map((e) => e.seq),
      [...events.slice(1, 5), events[11]].map((e) => e.seq),
    );
    assert.equal(mails[1].omitted, 6);
  });
});
