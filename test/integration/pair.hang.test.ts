import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConnectionMode } from "../../engine/src/config/model";
import { withPair } from "../support/pairHarness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("pair: the primary hangs (SIGSTOP), then resumes (SIGCONT)", () => {
  for (const mode of ["warm", "hot", "cold"] as ConnectionMode[]) {
    it(`${mode}: status lost once, the secondary takes over, ${mode === "cold" ? "and stays active" : "and the primary is promoted back"}`, async () => {
      await withPair({ mode, alwaysReconnectToPrimary: true }, async (h) => {
        const truth = mode === "hot" ? await h.watchDirect("secondary") : [];
        await h.run();
        await h.activeIs("primary");
        await h.firstValueFrom("primary", Date.now());
        await sleep(800);
        const stoppedAt = Date.now();
        h.primary.signal("SIGSTOP");
        const firstFromSecondary = await h.firstValueFrom("secondary", stoppedAt);
        console.log(`# ${mode} SIGSTOP gap: ${firstFromSecondary - stoppedAt} ms (fault → first value from the secondary)`);
        // Long enough for several reconnect attempts to the hung server: each waits out its connect
        // bound (5 s; node-opcua's own socket timeout is far longer, so that a stall of the engine is not taken for a hung server).
        await sleep(13_000);
        assert.equal(h.pair.active, "secondary");
        assert.equal(h.count("statusLost.primary", stoppedAt), 1, "statusLost posted once");
        assert.equal(h.count("connectFailed.primary", stoppedAt), 0, `the timed-out retries are not posted: ${h.story()}`);
        assert.equal(h.count("promoted.secondary", stoppedAt), 1);
        assert.ok(h.valuesSince(firstFromSecondary + 4000).length >= 5, "values keep flowing while the primary hangs");
        if (mode !== "cold") assert.ok(h.pair.connectionAttempts("primary") >= 3, "the hung primary is retried");
        if (mode === "hot") {
          const received = h.received.map((r) => r.value);
          const lastFromPrimary = h.received.filter((r) => r.active === "primary").at(-1)!.value;
          const missing = truth.filter((v) => v > lastFromPrimary && v <= received.at(-1)! && !received.includes(v));
          assert.deepEqual(missing, [], `hot failover lost no value while the hang was detected (last from primary ${lastFromPrimary})`);
        }

        const resumedAt = Date.now();
        h.primary.signal("SIGCONT");
        if (mode === "cold") {
          await sleep(3000);
          assert.equal(h.pair.active, "secondary", "cold mode does not fail back");
          assert.equal(h.pair.snapshot().primary.state, "Disconnected", "cold keeps one connection");
        } else {
          await h.activeIs("primary", 15_000);
          await h.firstValueFrom("primary", resumedAt);
          assert.equal(h.count("connected.primary", resumedAt), 1);
          assert.equal(h.count("promoted.primary", resumedAt), 1);
          await h.until("Paired and Available", () => h.pair.snapshot().status === "Paired and Available");
        }
        const values = h.received.map((r) => r.value);
        assert.ok(
          values.every((v, k) => k === 0 || v >= values[k - 1]),
          "the Counter never goes back",
        );
      });
    });
  }
});

describe("pair: stop while a side hangs", () => {
  it("is bounded, and no timer outlives the requests left unanswered", async () => {
    await withPair({ mode: "hot" }, async (h) => {
      const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
      const baseline = timers();
      await h.run();
      await h.activeIs("primary");
      await h.until("Paired and Available", () => h.pair.snapshot().status === "Paired and Available");
      h.primary.signal("SIGSTOP");
      h.secondary.signal("SIGSTOP");
      const stoppingAt = Date.now();
      await h.pair.stop();
      const took = Date.now() - stoppingAt;
      assert.ok(took < 8000, `stop took ${took} ms with both servers hung`);
      // node-opcua's timeouts of the requests the hung servers never answered run out on their own, within seconds.
      await h.until(`the timers back to ${baseline}`, () => timers() <= baseline, 5000);
      assert.equal(h.pair.active, null);
      assert.equal(h.pair.activeSession(), undefined);
      h.secondary.signal("SIGCONT");
    });
  });
});
