import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withPair } from "../support/pairHarness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("pair: outages of the secondary and of both sides", () => {
  it("hot: the secondary crashing changes nothing for the consumer of the primary", async () => {
    await withPair({ mode: "hot" }, async (h) => {
      const truth = await h.watchDirect("primary");
      await h.run();
      await h.activeIs("primary");
      await h.until("Paired and Available", () => h.pair.snapshot().status === "Paired and Available");
      const killedAt = Date.now();
      await h.secondary.kill();
      await sleep(2000);
      assert.equal(h.pair.active, "primary");
      assert.equal(h.count("promoted.secondary"), 0);
      assert.equal(h.count("connectionLost.secondary"), 1, "the crash of a connected session is a lost connection");
      assert.equal(h.count("connectFailed.secondary"), 0, "its reconnects are retries, not news");
      assert.equal(h.pair.snapshot().status, "Secondary not available");
      const received = h.received.map((r) => r.value);
      const window = truth.filter((v) => v >= h.valuesSince(killedAt)[0].value && v <= received.at(-1)!);
      assert.deepEqual(
        window.filter((v) => !received.includes(v)),
        [],
        "no value lost",
      );
      await h.secondary.restart();
      await h.until("Paired and Available again", () => h.pair.snapshot().status === "Paired and Available");
      assert.equal(h.pair.active, "primary");
    });
  });

  it("cold: with both sides down it ping-pongs with growing delays, and takes the first side that comes back", async () => {
    await withPair({ mode: "cold" }, async (h) => {
      await h.run();
      await h.activeIs("primary");
      await Promise.all([h.primary.kill(), h.secondary.kill()]);
      await h.activeIs(null);
      const before = h.pair.connectionAttempts("primary") + h.pair.connectionAttempts("secondary");
      await sleep(8000);
      const attempts = h.pair.connectionAttempts("primary") + h.pair.connectionAttempts("secondary") - before;
      // 0, 0, 250, 500, 1000, 2000, 4000 ms apart: about 7 in 8 s; a busy loop would make hundreds.
      assert.ok(attempts >= 4 && attempts <= 10, `${attempts} attempts in 8 s`);
      assert.ok(h.pair.connectionAttempts("primary") >= 2 && h.pair.connectionAttempts("secondary") >= 2, "both sides are tried");
      assert.equal(h.count("connectionLost.primary"), 1, "the active side's crash");
      assert.equal(h.count("connectFailed.primary"), 0);
      assert.equal(h.count("connectFailed.secondary"), 1, "the standby was never connected: its first attempt failed");
      assert.equal(h.pair.snapshot().status, "Pair not available");

      const backAt = Date.now();
      await h.secondary.restart();
      await h.activeIs("secondary", 10_000);
      await h.firstValueFrom("secondary", backAt);
      assert.equal(h.pair.snapshot().primary.state, "Disconnected");
    });
  });

  it("warm: with both sides down, the primary coming back is promoted", async () => {
    await withPair({ mode: "warm" }, async (h) => {
      await h.run();
      await h.activeIs("primary");
      await h.secondary.kill();
      await h.primary.kill();
      await h.activeIs(null);
      assert.equal(h.pair.activeSession(), undefined);
      await sleep(1000);
      const backAt = Date.now();
      await h.primary.restart();
      await h.activeIs("primary", 10_000);
      await h.firstValueFrom("primary", backAt);
      assert.equal(h.pair.snapshot().status, "Secondary not available");
    });
  });
});
