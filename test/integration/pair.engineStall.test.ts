import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withPair } from "../support/pairHarness";
import { stall } from "../support/stall";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The engine's own thread held up is no failure of the servers: the answers wait in the sockets.
 * Every timer that judges a server (the status poll's bound, the forwarding watchdog, node-opcua's
 * socket and request timeouts under them) must leave such a stall out, or the pair fails over from
 * a healthy primary (CI at load saw a connection "lost" during an endpoint's start-up).
 */
describe("pair: a stall of the engine's own event loop", () => {
  it("hot, status every 1 s with a 0.9 s timeout: the loop held 4 times for 3 s loses no side and switches nothing", async () => {
    await withPair({ mode: "hot", statusIntervalMs: 1000, statusTimeoutMs: 900 }, async (h) => {
      await h.run();
      await h.activeIs("primary");
      await h.until("both sides connected", () => h.pair.snapshot().status === "Paired and Available");
      await h.firstValueFrom("primary", Date.now());
      const from = Date.now();
      for (let i = 0; i < 4; i++) {
        stall(3000);
        await sleep(1500);
      }
      assert.equal(h.pair.active, "primary", h.story());
      assert.deepEqual(
        [...new Set(h.ids())].filter((id) => /^(connectionLost|statusLost|promoted)\./.test(id) && h.count(id, from) > 0),
        [],
        `no side lost, no switch: ${h.story()}`,
      );
      assert.ok(h.valuesSince(Date.now() - 1000).length > 0, "values still flow");
    });
  });
});
