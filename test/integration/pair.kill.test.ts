import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConnectionMode } from "../../engine/src/config/model";
import { withPair } from "../support/pairHarness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("pair: the primary crashes (SIGKILL)", () => {
  for (const mode of ["warm", "hot", "cold"] as ConnectionMode[]) {
    it(`${mode}: the consumer keeps receiving the Counter, now from the secondary`, async () => {
      await withPair({ mode }, async (h) => {
        const truth = mode === "hot" ? await h.watchDirect("secondary") : [];
        await h.run();
        await h.activeIs("primary");
        await h.firstValueFrom("primary", Date.now());
        await sleep(1000);
        const killedAt = Date.now();
        await h.primary.kill();
        const firstFromSecondary = await h.firstValueFrom("secondary", killedAt);
        console.log(`# ${mode} SIGKILL gap: ${firstFromSecondary - killedAt} ms (fault → first value from the secondary)`);
        await sleep(1000);

        assert.equal(h.pair.active, "secondary");
        // Cold mode meets the secondary only now: its certificate is pinned at this first use.
        assert.deepEqual(
          h.events.filter((e) => e.at >= killedAt).map((e) => e.id),
          mode === "cold" ? ["connectionLost.primary", "serverCertificatePinned.secondary", "connected.secondary", "promoted.secondary"] : ["connectionLost.primary", "promoted.secondary"],
          `one connectionLost for the crash, nothing for the retries: ${h.story()}`,
        );
        const snapshot = h.pair.snapshot();
        assert.equal(snapshot.status, "Primary not available");
        assert.equal(snapshot.primary.state, "Disconnected");
        assert.equal(snapshot.secondary.state, "Running");
        assert.ok(h.pair.activeSession(), "the endpoint has a session to forward to");

        const after = h.valuesSince(firstFromSecondary).map((r) => r.value);
        assert.ok(after.length >= 5, `values keep coming after the switch (${after.length})`);
        const values = h.received.map((r) => r.value);
        assert.ok(
          values.every((v, k) => k === 0 || v >= values[k - 1]),
          "the Counter never goes back",
        );
        if (mode === "hot") {
          // Every value the secondary produced between the last value from the primary and now reached the consumer.
          const lastFromPrimary = h.received.filter((r) => r.active === "primary").at(-1)!.value;
          const newest = values.at(-1)!;
          const expected = truth.filter((v) => v > lastFromPrimary && v <= newest);
          const missing = expected.filter((v) => !values.includes(v));
          assert.deepEqual(missing, [], `hot failover lost no value (last from primary ${lastFromPrimary})`);
        }
      });
    });
  }
});
