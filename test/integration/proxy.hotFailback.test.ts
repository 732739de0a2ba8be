import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { OPCUAClient } from "node-opcua";
import { endpointSession } from "../bench/support/benchEngine";
import { subscribeLoad } from "../bench/support/loadSubscription";
import { watchCounter } from "../support/counterWatch";
import { ProxyFixture, until } from "../support/proxyFixture";

// Ports 23450–23459 belong to this file.
const ROUNDS = 3;
/** Items the client subscribes beside the Counter, as an HMI's screen does (changing once a second): the returning primary takes a while to create them all. */
const ITEMS = 2000;
const STATUS = { statusIntervalMs: 1000, statusTimeoutMs: 900 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A failback is a switch like any other: hot mode's promise (no value lost) holds for it too. The
 * primary comes back with none of the client's items (here 2,000) subscribed yet; the pair may not leave the secondary's stream
 * before the primary's carries every item, or the values between are lost.
 */
describe("proxy endpoint, hot mode: a failback to the restarted primary loses no value", () => {
  let fx: ProxyFixture;
  const clients: OPCUAClient[] = [];
  before(async () => {
    fx = await ProxyFixture.start({
      mode: "hot",
      items: ITEMS,
      itemRateHz: 1,
      ports: [23450, 23451, 23452],
      config: { connection: { mode: "hot", alwaysReconnectToPrimary: true, failbackHoldDownMs: 0, ...STATUS } },
    });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.disconnect().catch(() => undefined)));
    await fx?.close();
  });

  it(`the primary killed and restarted, ${ROUNDS} rounds: across each failback the client gets every value both servers produced`, async () => {
    await fx.primaryActiveFirst();
    const received = new Map<number, number>();
    const { session, ns } = await endpointSession(fx.url, clients);
    await subscribeLoad(session, ns, ITEMS, { counter: (s) => received.set(s.value, s.at) });
    const secondary = await watchCounter(fx.sim("secondary").url, clients);
    const rounds: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await fx.primary.kill();
      await until(`round ${round}: the secondary active`, () => fx.pair.active === "secondary", 30_000);
      const restartedAt = Date.now();
      await fx.primary.restart();
      const primary = await watchCounter(fx.sim("primary").url, clients);
      const primaryWatched = Date.now() + 500;
      await until(`round ${round}: the primary active again`, () => fx.pair.active === "primary", 30_000);
      const failbackAt = Date.now();
      await sleep(2000);
      const to = Date.now() - 500;
      // The truth is what the secondary produced, less a tick the watched primary never produced after the failback (a loaded machine delays a sim's timer past a tick).
      const skippedByPrimary = (value: number, at: number) => at > Math.max(failbackAt, primaryWatched) && !primary.has(value);
      const lost = [...secondary].filter(([value, at]) => at >= restartedAt && at <= to && !skippedByPrimary(value, at) && !received.has(value)).map(([value]) => value);
      const around = (v: number) => [-2, -1, 0, 1, 2].map((d) => `${v + d}@${received.get(v + d) ?? "-"}`).join(" ");
      rounds.push(`round ${round}: failback ${failbackAt - restartedAt} ms after the restart, ${lost.length} lost`);
      assert.deepEqual(
        lost,
        [],
        `${rounds.join("; ")}; lost ${lost.join(" ")} (window to ${to}); at the client around the first: ${lost.length ? around(lost[0]) : ""}, around the last: ${lost.length ? around(lost.at(-1)!) : ""}; events: ${fx.events.map((e) => e.id).join(", ")}`,
      );
    }
    assert.equal(fx.promotions().filter((p) => p === "promoted.primary").length, ROUNDS + 1, fx.promotions().join(", "));
  });
});
