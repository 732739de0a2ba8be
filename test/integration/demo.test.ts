import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { ensureEngineBuilt, REPO_ROOT, runEngineCli } from "../support/engineCli";

// The README's `npm start`: two sims on free ports, the engine, a client of the pair's endpoint.
describe("redundancymaster demo", () => {
  before(ensureEngineBuilt);

  it("shows a failover and a failback with data flowing, and exits 0", async () => {
    const started = Date.now();
    const r = await runEngineCli(["demo"], 120_000);
    // how long it took, for the duration README and `demo --help` state (measured, not asserted: the machine's load decides)
    console.log(`# demo took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.doesNotMatch(r.stdout + r.stderr, /security-revert|CVE-2023-46809/, "node-opcua's W27 notice is left out");
    const lines = r.stdout.trimEnd().split("\n");
    assert.deepEqual(
      lines.filter((l) => !/^(demo: |  event   |  client  )/.test(l)),
      [],
      "stdout holds the narration only",
    );
    assert.match(r.stdout, /^  client  Counter = \d+ +\(served by the primary\)$/m);
    assert.match(r.stdout, /^  client  Counter = \d+ +\(served by the secondary\)$/m);
    assert.match(
      r.stdout,
      /^demo: failover: the secondary is active \d+ ms after the kill; last value \d+ from the primary, next \d+ from the secondary: 0 values missed/m,
      "hot mode loses nothing on a crash",
    );
    assert.match(r.stdout, /^demo: failback: the primary is active again \d+ ms after it came back; last value \d+ from the secondary, next \d+ from the primary: /m);
    assert.match(r.stdout, /^  event   .* information \[Demo\.Pair\/secondary\] Promoted active connection for server 'Demo\.Pair' to secondary machine 'sim-secondary'\.$/m);
    const failback = r.stdout.slice(r.stdout.indexOf("demo: restarting the primary"));
    assert.match(failback, /\[Demo\.Pair\/primary\] Promoted active connection/);
  });

  it("`demo --help` and the README state the same duration", async () => {
    const help = (await runEngineCli(["--help"])).stdout;
    const duration = /^ {2}demo +.*\((\d+–\d+ s)\)$/m.exec(help)?.[1];
    assert.ok(duration, help);
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    const paragraph = readme.slice(readme.indexOf("`npm start` (or `npx redundancymaster demo`)"), readme.indexOf("### Your own pair"));
    assert.ok(paragraph.includes(`exits 0, in ${duration}`), paragraph);
  });
});
