import { tmpdir } from "node:os";
import { join } from "node:path";
import { subscribeToCounter } from "../../engine/src/cli/demoClient";

/**
 * An OPC UA client of a pair's endpoint in a process of its own (the extension host must never
 * load node-opcua, clientBoundary.test.ts checks it): prints one line per Counter value it gets,
 * until it is killed.
 */
const url = process.argv[2];
void subscribeToCounter(url, join(tmpdir(), `rm-vscode-counter-client-${process.getuid?.() ?? 0}`), (value) => process.stdout.write(`${value}\n`)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
