import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RuntimeEvent } from "../../engine/src/control/protocol";
import { EventsModel, type EventsChange } from "../../client/src/views/eventsModel";

const event = (seq: number): RuntimeEvent => ({
  seq,
  time: new Date(1_700_000_000_000 + seq).toISOString(),
  id: "connected.primary",
  severity: "information",
  text: `event ${seq}`,
  process: "redundancymaster[1]",
  pair: "Line4",
  side: "primary",
});

describe("the Runtime Events panel's model", () => {
  it("once full, takes an event in and drops the oldest, as one append, never a reset of the table", () => {
    const model = new EventsModel(3);
    model.load([1, 2, 3].map(event));
    const changes: EventsChange[] = [];
    model.onChange((c) => changes.push(c));
    model.add(event(4));
    model.add(event(5));
    assert.deepEqual(changes, [
      { kind: "append", added: [event(4)], oldestKept: 2 },
      { kind: "append", added: [event(5)], oldestKept: 3 },
    ]);
    assert.deepEqual(
      model.events.map((e) => e.seq),
      [3, 4, 5],
    );
  });

  it("a load or a clear is a reset; a lower maxRows drops the oldest as an append with nothing added", () => {
    const model = new EventsModel(5);
    const changes: EventsChange[] = [];
    model.onChange((c) => changes.push(c));
    model.load([1, 2, 3, 4].map(event));
    model.setMaxRows(2);
    model.clear();
    assert.deepEqual(changes, [{ kind: "reset" }, { kind: "append", added: [], oldestKept: 3 }, { kind: "reset" }]);
  });
});
