// The memory benchmark's engine, in a process of its own so that nothing the other benchmarks left
// in the bench's heap counts: `node --import tsx test/bench/support/memoryCyclesChild.ts FIRST_PORT
// CYCLES RESTARTS` prints `RESULT {json}` (MemoryFigures), as node-opcua prints on stdout too.
import { measureMemoryCycles } from "../../support/memoryCycles";

const [firstPort, cycles, restarts] = process.argv.slice(2).map(Number);
measureMemoryCycles({ firstPort, cycles, restarts }).then(
  (figures) => {
    process.stdout.write(`RESULT ${JSON.stringify(figures)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
