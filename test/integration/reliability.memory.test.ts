import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { measureMemoryCycles } from "../support/memoryCycles";

// Ports 23760–23774 belong to this file: two sims, the restarted pair's endpoint, ten endpoints, two ports no server listens on.
const CYCLES = 10;
const RESTARTS = 50;

// Left out of the suites until a whole run is seen to pass (RM_MEMORY_TEST=1 runs it). The growth
// it found (89.3 → 116.2 MB over the 10 cycles) was node-opcua-pki's fs.watch replacement left in
// place (upstream/certificateManagers.ts); with it fixed (an earlier form of the lock) 3 cycles went
// 89.4 → 86.5 MB, but on the machine it was fixed on (load average 25–27) a whole run outlasted the
// test's 15-minute limit (the 11 cycles were done, the 50 restarts not).
const pending = process.env.RM_MEMORY_TEST ? false : "a whole run not yet seen to pass (issue 13); RM_MEMORY_TEST=1 runs it";

describe("reliability: memory is given back", () => {
  it(
    `${CYCLES} × adding and removing 10 unreachable pairs, then ${RESTARTS} restarts of a connected pair: the heap after a forced GC within 5 % of the start`,
    { timeout: 15 * 60_000, skip: pending },
    async (t) => {
      const { startMb, afterCyclesMb, afterRestartsMb } = await measureMemoryCycles({ firstPort: 23760, cycles: CYCLES, restarts: RESTARTS });
      const figures = `heap ${startMb.toFixed(1)} MB at the start, ${afterCyclesMb.toFixed(1)} MB after ${CYCLES} cycles, ${afterRestartsMb.toFixed(1)} MB after ${RESTARTS} restarts`;
      t.diagnostic(figures);
      assert.ok(afterCyclesMb <= startMb * 1.05, figures);
      assert.ok(afterRestartsMb <= startMb * 1.05, figures);
    },
  );
});
