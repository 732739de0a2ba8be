import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withPair } from "../support/pairHarness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("pair: graceful shutdown and restart of the primary", () => {
  it("warm: a shutdown notice (SecondsTillShutdown) switches before the server goes, and the restarted primary is promoted back", async () => {
    await withPair({ mode: "warm", alwaysReconnectToPrimary: true }, async (h) => {
      await h.run();
      await h.activeIs("primary");
      await h.firstValueFrom("primary", Date.now());
      const announcedAt = Date.now();
      const gone = h.primary.shutdown(3);
      await h.activeIs("secondary", 5000);
      const switchedAt = Date.now();
      assert.ok(h.primary.running, "switched while the primary was still counting down");
      assert.equal(h.pair.snapshot().primary.state, "Stopped");
      await gone;
      console.log(`# warm shutdown notice → switch: ${switchedAt - announcedAt} ms`);
      await sleep(1000);
      assert.equal(h.count("shutdownReceived.primary", announcedAt), 1);
      assert.equal(h.count("connectFailed.primary", announcedAt), 0, "the announced loss is not reported as a failure");
      assert.equal(h.count("promoted.secondary", announcedAt), 1);

      const restartedAt = Date.now();
      await h.primary.restart();
      await h.activeIs("primary", 15_000);
      await h.firstValueFrom("primary", restartedAt);
      assert.deepEqual(
        h.events.filter((e) => e.at >= announcedAt).map((e) => e.id),
        ["shutdownReceived.primary", "promoted.secondary", "connected.primary", "promoted.primary"],
        "each transition posted once",
      );
      assert.equal(h.pair.snapshot().status, "Paired and Available");
    });
  });

  it("hot without alwaysReconnectToPrimary: the restarted primary is reconnected but the secondary stays active", async () => {
    await withPair({ mode: "hot", alwaysReconnectToPrimary: false }, async (h) => {
      await h.run();
      await h.activeIs("primary");
      await h.primary.kill();
      await h.activeIs("secondary");
      const restartedAt = Date.now();
      await h.primary.restart();
      await h.until("the primary reconnected", () => h.count("connected.primary", restartedAt) === 1);
      await sleep(1500);
      assert.equal(h.pair.active, "secondary");
      assert.equal(h.count("promoted.primary", restartedAt), 0, "not promoted back");
      const snapshot = h.pair.snapshot();
      assert.equal(snapshot.status, "Paired and Available");
      assert.equal(snapshot.primary.state, "Running");

      // An operator's switch still works, and goes back to the primary.
      await h.pair.forceFailover();
      assert.equal(h.pair.active, "primary");
      const at = Date.now();
      await h.firstValueFrom("primary", at);
    });
  });
});
