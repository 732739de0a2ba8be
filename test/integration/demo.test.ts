import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ensureEngineBuilt, runEngineCli } from "../support/engineCli";

// The README's `npm start`: two sims on free ports, the engine, a client of the pair's endpoint.
describe("redundancymaster demo", () => {
  before(ensureEngineBuilt);

  it("shows a failover and a failback with data flowing, and exits 0", async () => {
    const r = await runEngineCli(["demo"], 120_000);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const lines = r.stdout.trimEnd().split("\n");
    assert.deepEqual(lines.filter((l) => !/^(demo: |  event   |  client  )/.test(l)), [], "stdout holds the narration only");
    assert.match(r.stdout, /^  client  Counter = \d+ +\(served by the primary\)$/m);
    assert.match(r.stdout, /^  client  Counter = \d+ +\(served by the secondary\)$/m);
    assert.match(r.stdout, /^demo: failover: the secondary is active \d+ ms after the kill; last value \d+ from the primary, next \d+ from the secondary: \d+ values? missed/m);
    assert.match(r.stdout, /^demo: failback: the primary is active again \d+ ms after it came back; last value \d+ from the secondary, next \d+ from the primary: /m);
    assert.match(r.stdout, /^  event   .* information \[Demo\.Pair\/secondary\] Promoted active connection for server 'Demo\.Pair' to secondary machine 'sim-secondary'\.$/m);
    const failback = r.stdout.slice(r.stdout.indexOf("demo: restarting the primary"));
    assert.match(failback, /\[Demo\.Pair\/primary\] Promoted active connection/);
  });
});
