import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { everyTick, tick, TICK_MS } from "../../engine/src/sim/simClock";
import { stall } from "../support/stall";

describe("the sims' clock", () => {
  it("shows every tick once, in order, while the process is kept busy up to 30 ms at a time", async () => {
    const seen: number[] = [];
    // Stalls of 0–30 ms every 37 ms make each tick's timer late: a timer that drifts with its
    // lateness (a plain setInterval) soon crosses a tick's start and skips a value.
    const busy = setInterval(() => stall(Math.random() * 30), 37);
    const clock = everyTick(() => seen.push(tick()));
    await new Promise((resolve) => setTimeout(resolve, 40 * TICK_MS));
    clock.stop();
    clearInterval(busy);
    assert.ok(seen.length >= 30, `${seen.length} ticks in ${40 * TICK_MS} ms`);
    const jumps = seen.slice(1).flatMap((value, i) => (value === seen[i] + 1 ? [] : [`${seen[i]} → ${value}`]));
    assert.deepEqual(jumps, [], "each value is the one after the last");
  });
});
