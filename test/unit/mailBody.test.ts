import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eventMail, testMail } from "../../engine/src/notify/mailBody";
import { notifications, runtimeEvent } from "../support/mailFixtures";

describe("mail body", () => {
  const savedTz = process.env.TZ;
  before(() => {
    process.env.TZ = "Europe/Berlin";
  });
  after(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  test("one event: header, date, local time with its offset, process, pair, side, event, text, footer", () => {
    const event = runtimeEvent("promoted", "secondary", "2026-11-22T03:23:28.000Z");
    const mail = eventMail(notifications(), { events: [event], omitted: 0 });
    assert.equal(mail.subject, "RedundancyMaster e-mail notification.");
    assert.equal(
      mail.text,
      [
        "Plant 4 redundancy",
        "",
        "Date:    2026-11-22",
        "Time:    04:23:28 (UTC+01:00)",
        "Process: redundancymaster",
        "Pair:    KEPware.KEPServerEx.V6.Alias1",
        "Side:    secondary",
        "Event:   promoted.secondary (information)",
        "Promoted active connection for server 'KEPware.KEPServerEx.V6.Alias1' to secondary machine '192.168.111.67'.",
        "",
        "--",
        "Sent by the redundancy engine",
        "",
      ].join("\n"),
    );
  });

  test("a digest counts every event and marks those left out before the latest", () => {
    const first = runtimeEvent("statusLost", "primary", "2026-11-22T03:00:00.000Z");
    const latest = runtimeEvent("promoted", "secondary", "2026-11-22T03:00:09.000Z");
    const text = eventMail(notifications({ header: undefined, footer: undefined }), { events: [first, latest], omitted: 7 }).text;
    assert.match(text, /^9 events:\n\nDate:    2026-11-22\nTime:    04:00:00 \(UTC\+01:00\)\n/);
    assert.match(text, /server communications has been lost\.\n\n… 7 more events in this period, not listed here \(see the event log\) …\n\nDate: {4}2026-11-22\nTime: {4}04:00:09/i);
    assert.ok(!text.includes("--"), "no footer separator without a footer");
  });

  test("an engine event without pair or side leaves those lines out", () => {
    const event = { ...runtimeEvent("statusLost", "primary"), id: "configReloaded", pair: undefined, side: undefined, text: "Configuration reloaded from 'a.xml'." };
    const text = eventMail(notifications(), { events: [event], omitted: 0 }).text;
    assert.ok(!/^Pair:|^Side:/m.test(text), text);
  });

  test("the test message names its time and host between header and footer", () => {
    const mail = testMail(notifications(), new Date("2026-07-01T10:00:00Z"), "plant4-eng");
    assert.equal(mail.subject, "RedundancyMaster e-mail notification. (test message)");
    assert.match(mail.text, /^Plant 4 redundancy\n\nThis is a test message/);
    assert.match(mail.text, /Time:    12:00:00 \(UTC\+02:00\)\nHost:    plant4-eng\n\n--\nSent by the redundancy engine\n$/);
  });
});
