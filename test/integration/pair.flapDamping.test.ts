import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Side } from "../../engine/src/events/catalog";
import { createPair, type Pair } from "../../engine/src/pair/pair";
import { CuttingProxy } from "../support/cuttingProxy";
import { pairConfig, type PostedEvent } from "../support/pairHarness";
import { reservePort } from "../support/portReservation";
import { startSims } from "../support/startSims";

// Ports 23730–23732 belong to this file.
const [SIM_A, SIM_B, PROXY] = [23730, 23731, 23732];
const RUN_MS = 40_000;

/** A warm pair whose primary is reached through the proxy, recording its events. */
function flappingPair(name: string, failbackHoldDownMs: number, secondaryUrl: string): { pair: Pair; events: PostedEvent[] } {
  const events: PostedEvent[] = [];
  const config = { ...pairConfig({ mode: "warm", alwaysReconnectToPrimary: true, failbackHoldDownMs }, [`opc.tcp://127.0.0.1:${PROXY}`, secondaryUrl]), name, effectiveName: name };
  const pair = createPair(config, {
    postEvent: (e) => events.push({ id: e.side ? `${e.kind}.${e.side}` : e.kind, kind: e.kind, side: e.side as Side | undefined, fields: e.fields, at: Date.now() }),
    onChanged: () => undefined,
  });
  return { pair, events };
}

describe("pair: flap damping against a link cut every 1.5 s", () => {
  it("with the default hold-down the pair fails back once and then stays on the secondary, saying why; without damping it fails back again and again", async () => {
    for (const port of [SIM_A, SIM_B, PROXY]) assert.ok(reservePort(port), `port ${port} is free of other test processes`);
    const sims = await startSims([
      { port: SIM_A, identity: "primary" },
      { port: SIM_B, identity: "secondary" },
    ]);
    const proxy = await CuttingProxy.start({ port: PROXY, target: { host: "127.0.0.1", port: SIM_A }, cutAfterMs: 1500 });
    const damped = flappingPair("damped", 10_000, sims[1].url);
    const undamped = flappingPair("undamped", 0, sims[1].url);
    try {
      await Promise.all([damped.pair.start(), undamped.pair.start()]);
      await new Promise((r) => setTimeout(r, RUN_MS));
      const failbacks = (p: { events: PostedEvent[] }) => p.events.filter((e) => e.id === "promoted.primary").length - 1;
      const story = (p: { events: PostedEvent[] }) => p.events.map((e) => `${e.id}${e.fields.detail ? ` (${e.fields.detail})` : ""}`).join(", ");
      assert.ok(failbacks(undamped) >= 4, `the baseline: without damping the primary is failed back to again and again (${failbacks(undamped)}): ${story(undamped)}`);
      assert.ok(failbacks(damped) <= 1, `damped: one failback at most after the first loss (${failbacks(damped)}): ${story(damped)}`);
      const held = damped.events.filter((e) => e.id === "failbackHeldDown.primary").map((e) => e.fields.detail);
      assert.ok(held.length >= 1 && held[0] === "10 s", `failbackHeldDown says the hold-down, doubling as it flaps: ${held.join(", ")}`);
      assert.equal(damped.pair.active, "secondary");
    } finally {
      await Promise.all([damped.pair.stop(), undamped.pair.stop()]);
      await proxy.close();
      await Promise.all(sims.map((s) => s.close()));
    }
  });
});
