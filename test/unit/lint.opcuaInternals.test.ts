import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ESLint } from "eslint";

// The rule that keeps node-opcua's internals in engine/src/opcuaInternals/ (scripts/eslint/opcuaInternals.mjs),
// run by the project's own eslint.config.mjs on code given as text in place of a file of the engine
// (the type-aware parser finds only files its tsconfig holds; nothing is written to disk).
const root = join(__dirname, "..", "..");
const eslint = new ESLint({ cwd: root });

/** The lines the rule refuses in `code`, were it the text of the engine file `path`. */
async function refusedLines(code: string, path: string): Promise<number[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  assert.deepEqual(
    result.messages.filter((m) => m.ruleId !== "redundancymaster/opcua-internals"),
    [],
    "the samples break no other rule",
  );
  return result.messages.map((m) => m.line);
}

const SAMPLE = `import { MethodIds, StatusCodes, type MonitoredItem, type OPCUAClient, type StatusCode, type Variant } from "node-opcua";

export function samples(item: MonitoredItem, client: OPCUAClient, fields: Variant[], name: string, error: Error): unknown[] {
  const secureChannel = (client as unknown as { _secureChannel: unknown })._secureChannel;
  (item as any).modify(null, null);
  item["_enqueue_event"](fields);
  const code = (StatusCodes as unknown as Record<string, StatusCode | undefined>)[name];
  const method = (MethodIds as unknown as Record<string, number | undefined>)[name];
  const own = { _count: 1 }._count;
  return [secureChannel, code, method, own, String(error as unknown)];
}
`;

describe("lint: node-opcua internals only behind their door", () => {
  it("refuses a cast past node-opcua's types and a `_` member of its objects in the engine, and allows lookups by name", async () => {
    assert.deepEqual(await refusedLines(SAMPLE, "engine/src/proxy/actingSession.ts"), [4, 5, 6]);
  });

  it("allows them in engine/src/opcuaInternals/", async () => {
    assert.deepEqual(await refusedLines(SAMPLE, "engine/src/opcuaInternals/clientInternals.ts"), []);
  });
});
