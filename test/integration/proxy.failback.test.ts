import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SimNodes } from "../../engine/src/sim/simServer";
import { ProxyFixture, record, until, type Recorded } from "../support/proxyFixture";

// Ports 23120–23129 belong to this file.

/**
 * Failover and failback through the endpoint, as a client sees them: one subscription from start
 * to end, its values from the secondary while the primary is down and from the primary again once
 * it is back; and one made during the failover, served by the secondary first (not by what the
 * endpoint cached of the primary), then by the primary. Good and live after each switch.
 */
describe("proxy endpoint: subscriptions across failover and failback (warm, back to the primary)", () => {
  let fx: ProxyFixture;
  before(async () => {
    fx = await ProxyFixture.start({
      mode: "warm",
      ports: [23120, 23121, 23122],
      config: { connection: { mode: "warm", alwaysReconnectToPrimary: true, statusIntervalMs: 2000, statusTimeoutMs: 1500, failbackHoldDownMs: 10_000 } },
    });
  });
  after(async () => {
    await fx?.close();
  });

  it("keeps one subscription across both switches, and serves one made between them from the secondary first", async () => {
    await until("the primary active", () => fx.pair.active === "primary", 30_000);
    const { session, ns } = await fx.connect();
    const throughout = await record(session, `ns=${ns};s=${SimNodes.identity}`);
    const counter = await record(session, `ns=${ns};s=${SimNodes.counter}`, throughout.subscription);
    await until("values from the primary", () => throughout.values.at(-1)?.value === "primary" && counter.values.length >= 5);

    await fx.primary.kill();
    await until("values from the secondary", () => throughout.values.at(-1)?.value === "secondary", 30_000);
    const between = await record(session, `ns=${ns};s=${SimNodes.identity}`);
    await until("the new subscription's first value", () => between.values.length > 0);

    await fx.primary.restart();
    await until("values from the primary again", () => throughout.values.at(-1)?.value === "primary" && between.values.at(-1)?.value === "primary", 30_000);
    const backAt = Date.now();
    await until("counter values after the failback", () => counter.values.filter((v) => v.at > backAt).length >= 10);

    const sides = (values: Recorded[]) => collapse(values.filter((v) => v.status === "Good").map((v) => String(v.value)));
    assert.deepEqual(sides(throughout.values), ["primary", "secondary", "primary"]);
    assert.deepEqual(sides(between.values), ["secondary", "primary"]);
    const after = counter.values.filter((v) => v.at > backAt);
    assert.ok(
      after.every((v) => v.status === "Good"),
      after.map((v) => v.status).join(","),
    );
    const live = Math.floor(Date.now() / 100) >>> 0;
    assert.ok(Math.abs(Number(after.at(-1)!.value) - live) < 30, "live values, not replayed ones");
    assert.equal(fx.events.filter((e) => e.id === "promoted.primary").length >= 2, true, fx.events.map((e) => e.id).join(", "));
  });
});

/** Runs of the same value as one: the sequence of sides the client was served from. */
function collapse(values: string[]): string[] {
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}
