import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ConnectionMode } from "../../engine/src/config/model";
import { ProxyFixture, record, until, type Recorded } from "./proxyFixture";

/**
 * The failover test every mode shares: a client subscribed through the endpoint to the 10 Hz
 * Counter and to Identity keeps its one subscription across a SIGKILL of the active primary, and
 * the values then come from the secondary. In hot mode no value is lost either (see lostValues).
 * Any switch the kill did not cause fails the test.
 */
export function describeFailover(mode: ConnectionMode, ports: [number, number, number]): void {
  describe(`proxy endpoint: a subscription across a crash of the active side (${mode})`, () => {
    let fx: ProxyFixture;
    before(async () => {
      fx = await ProxyFixture.start({ mode, ports });
      await fx.primaryActiveFirst();
    });
    after(async () => {
      await fx?.close();
    });

    it("keeps delivering, from the other side, on the same subscription", async () => {
      const { session, ns } = await fx.connect();
      const counter = await record(session, `ns=${ns};s=Counter`);
      const identity = await record(session, `ns=${ns};s=Identity`, counter.subscription);
      const onPrimary = await fx.connectTo(fx.primary.url);
      const onSecondary = await fx.connectTo(fx.secondary.url);
      const primaryProduced = await record(onPrimary.session, `ns=${onPrimary.ns};s=Counter`);
      const secondaryProduced = await record(onSecondary.session, `ns=${onSecondary.ns};s=Counter`);
      await until("counter values through the endpoint", () => counter.values.length >= 10 && secondaryProduced.values.length >= 10 && primaryProduced.values.length >= 10);
      assert.equal(identity.values.at(-1)?.value, "primary", `events: ${fx.events.map((e) => e.id).join(", ")}`);
      assert.deepEqual(fx.promotions(), ["promoted.primary"], "no switch before the kill");

      const crashedAt = Date.now();
      await fx.sim("primary").kill();
      await until("Identity from the secondary", () => identity.values.some((v) => v.value === "secondary"), 30_000);
      const switchedAt = Date.now();
      await until("counter values after the switch", () => counter.values.filter((v) => v.at > switchedAt).length >= 10);

      const after = counter.values.filter((v) => v.at > switchedAt);
      assert.ok(
        after.every((v) => v.status === "Good"),
        `Good after the switch: ${after.map((v) => v.status).join(",")}`,
      );
      const now = Math.floor(Date.now() / 100) >>> 0;
      assert.ok(Math.abs(Number(after.at(-1)!.value) - now) < 30, "the values are live, not replayed");
      assert.deepEqual(fx.promotions(), ["promoted.primary", "promoted.secondary"], "the one switch the kill caused, and no other");

      if (mode !== "hot") return;
      const good = counter.values.filter((v) => v.status === "Good").map((v) => Number(v.value));
      const disorder = good.flatMap((v, i) => (i > 0 && v <= good[i - 1] ? [`${good[i - 1]} then ${v}`] : []));
      assert.deepEqual(disorder, [], `each value once, in order; crash after ${counter.values.filter((v) => v.at < crashedAt).length} values: ${good.join(",")}`);
      const produced = { crashed: primaryProduced.values, standby: secondaryProduced.values };
      const lost = lostValues(good, produced, crashedAt);
      assert.deepEqual(lost, [], `no value lost across the crash (received ${good.join(",")})`);
    });
  });
}

/**
 * Counter values missing between the first and last received that are certainly lost: produced
 * by both sims (as a direct client of each saw them), or by the standby after the crash. A sim
 * skips a value when a stall outlasts a tick (see simClock), and a value only the
 * crashed side produced in its last publishing interval may never have left it: neither is the
 * endpoint's loss.
 */
function lostValues(received: number[], produced: { crashed: Recorded[]; standby: Recorded[] }, crashedAt: number): number[] {
  const got = new Set(received);
  const byCrashed = new Set(produced.crashed.map((v) => Number(v.value)));
  // Under load the killed process may still produce values for a moment: it died after its last value.
  const diedAt = Math.max(crashedAt, ...produced.crashed.map((v) => v.sourceTime));
  const byStandbyAfter = new Set(produced.standby.filter((v) => v.sourceTime > diedAt + 50).map((v) => Number(v.value)));
  const byStandby = new Set(produced.standby.map((v) => Number(v.value)));
  const lost: number[] = [];
  for (let v = Math.max(received[0], Number(produced.standby[0].value)); v <= received.at(-1)!; v++) {
    if (!got.has(v) && ((byCrashed.has(v) && byStandby.has(v)) || byStandbyAfter.has(v))) lost.push(v);
  }
  return lost;
}
