import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serverLoad, withPair } from "../support/pairHarness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

describe("pair: a flapping primary", () => {
  it("warm: 20 crashes and restarts end healthy, with one session per side and no leaked subscriptions or timers", async () => {
    await withPair({ mode: "warm", alwaysReconnectToPrimary: true }, async (h) => {
      const baseline = timers();
      const startedAt = Date.now();
      await h.run();
      await h.activeIs("primary");
      await h.until("Paired and Available", () => h.pair.snapshot().status === "Paired and Available");
      for (let flap = 0; flap < 20; flap++) {
        await h.primary.kill();
        await h.activeIs("secondary");
        await h.primary.restart();
        await h.activeIs("primary", 15_000);
      }
      const settledAt = Date.now();
      await h.firstValueFrom("primary", settledAt);
      await h.until("Paired and Available", () => h.pair.snapshot().status === "Paired and Available");
      assert.equal(h.count("connectionLost.primary", startedAt), 20, h.story());
      assert.equal(h.count("connectFailed.primary", startedAt), 0, "each crash is a lost connection, never a failed connect");
      assert.equal(h.count("promoted.primary", startedAt), 21);
      assert.equal(h.count("promoted.secondary", startedAt), 20);
      assert.equal(h.count("connected.secondary", startedAt), 1, "the secondary's session lived through it all");
      // Each side's session has one subscription of its own, that watches the server's status.
      assert.deepEqual(await serverLoad(h.primary.url), { sessions: 1, subscriptions: 2 }, "the primary carries the pair's one session, its status and the forwarded items");
      assert.deepEqual(await serverLoad(h.secondary.url), { sessions: 1, subscriptions: 1 }, "warm: no forwarding subscription left behind on the secondary");

      const afterFlapping = timers();
      await h.pair.stop();
      await sleep(500);
      // Before the checks below: their own clients leave timers of their own for a while.
      assert.ok(timers() <= baseline, `no timer left running after stop (${timers()} > ${baseline}, ${afterFlapping} while running)`);
      assert.deepEqual(await serverLoad(h.secondary.url), { sessions: 0, subscriptions: 0 }, "stop closes the sessions");
      assert.deepEqual(await serverLoad(h.primary.url), { sessions: 0, subscriptions: 0 });
    });
  });
});
