import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EventLog, type NewEvent } from "../../engine/src/events/eventLog";
import { consoleLine, savedLogLine } from "../../engine/src/events/eventLines";

const event = (text: string, extra: Partial<NewEvent> = {}): NewEvent => ({
  id: "connected.primary",
  severity: "information",
  text,
  process: "redundancymaster[1]",
  pair: "Line4",
  side: "primary",
  ...extra,
});

describe("event log ring", () => {
  it("numbers events and stamps their time", () => {
    const log = new EventLog(1000);
    const a = log.append(event("a"));
    const b = log.append(event("b"));
    assert.deepEqual([a.seq, b.seq], [1, 2]);
    assert.ok(!Number.isNaN(Date.parse(a.time)));
  });

  it("keeps the newest maxEvents, dropping the oldest", () => {
    const log = new EventLog(1000);
    for (let i = 1; i <= 1005; i++) log.append(event(`e${i}`));
    assert.equal(log.size, 1000);
    assert.equal(log.list()[0].text, "e6");
    assert.equal(log.list().at(-1)!.text, "e1005");
    assert.deepEqual(
      log.list(2).map((e) => e.seq),
      [1004, 1005],
    );
    assert.deepEqual(log.list(0), []);
  });

  it("continues numbering after a reset and from a preserved log", () => {
    const log = new EventLog(1000, { events: [{ ...event("old"), seq: 41, time: new Date(0).toISOString() }], nextSeq: 42 });
    assert.equal(log.append(event("new")).seq, 42);
    log.reset();
    assert.equal(log.size, 0);
    assert.equal(log.append(event("after reset")).seq, 43);
  });

  it("shrinks at once when maxEvents is lowered", () => {
    const log = new EventLog(3000);
    for (let i = 0; i < 2500; i++) log.append(event(`e${i}`));
    log.setMaxEvents(1000);
    assert.equal(log.size, 1000);
    assert.equal(log.list()[0].text, "e1500");
  });
});

describe("event lines", () => {
  const e = { ...event("Connected to 'X'\non primary."), seq: 7, time: new Date(2026, 10, 22, 3, 4, 5, 67).toISOString() };

  it("saves seven tab-separated fields, one line per event", () => {
    assert.equal(savedLogLine(e), "2026-11-22\t03:04:05.067\tredundancymaster[1]\tLine4\tprimary\tinformation\tConnected to 'X' on primary.");
    assert.equal(
      savedLogLine({ ...e, pair: undefined, side: undefined })
        .split("\t")
        .slice(3, 5)
        .join(","),
      "-,-",
    );
  });

  it("prints date, time, severity, pair/side and text on the console", () => {
    assert.equal(consoleLine(e), "2026-11-22 03:04:05.067 information [Line4/primary] Connected to 'X' on primary.");
    assert.match(consoleLine({ ...e, pair: undefined, side: undefined }), /information \[engine\] /);
  });
});
