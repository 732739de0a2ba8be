import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { SaxesParser } from "saxes";
import { loadConfigText } from "../../engine/src/config/loadConfig";
import { analyzeConfig } from "../../engine/src/config/validate";
import { parseXml } from "../../engine/src/config/xmlTree";
import { ENGINE_BUNDLE, ensureEngineBuilt, REPO_ROOT } from "../support/engineCli";
import { generatedConfig } from "../support/generatedConfig";
import { summarize, timeEach, type BenchOptions, type BenchResult } from "./benchResult";

/**
 * The baseline is a bare saxes pass over the same text (positions on, no handlers, no tree): the
 * tokenizing that any position-aware validation with this parser must pay. The ratio is then what
 * the tree, the position bookkeeping and the rules add on top, independent of the machine. (A
 * JSON.parse of an equivalent document would compare with a native parser instead, mixing in the
 * gap between C++ and JavaScript; fast-xml-parser is not a dependency.)
 */
function saxesPass(text: string): void {
  new SaxesParser({ position: true }).write(text).close();
}

const BASELINE_NOTE = "baseline: bare saxes pass over the same text";

export async function run({ quick }: BenchOptions): Promise<BenchResult[]> {
  const reps = quick ? 3 : 20;
  const results: BenchResult[] = [];

  const tenThousand = generatedConfig(200, 50);
  assert.deepEqual(analyzeConfig(tenThousand).diagnostics, [], "the generated 200 × 50 document is valid");
  const base = timeEach(() => saxesPass(tenThousand), reps, 2);
  results.push(
    summarize(
      "validate.10k_items.full_ms",
      timeEach(() => analyzeConfig(tenThousand), reps, 2),
      "ms",
      base,
      BASELINE_NOTE,
    ),
  );
  results.push(
    summarize(
      "validate.10k_items.parse_ms",
      timeEach(() => parseXml(tenThousand), reps, 2),
      "ms",
      base,
      BASELINE_NOTE,
    ),
  );
  results.push(
    summarize(
      "load.10k_items.model_ms",
      timeEach(() => loadConfigText(tenThousand), reps, 2),
      "ms",
      base,
      `validation and model; ${BASELINE_NOTE}`,
    ),
  );

  const hostileReps = quick ? 1 : 5;
  const tenMegabytes = generatedConfig(1, 105_000, { lastItemId: "not a node id" });
  assert.deepEqual(
    analyzeConfig(tenMegabytes).diagnostics.map((d) => d.code),
    ["RM060"],
  );
  results.push(
    summarize(
      "validate.hostile_10mb.full_ms",
      timeEach(() => analyzeConfig(tenMegabytes), hostileReps, 1),
      "ms",
      timeEach(() => saxesPass(tenMegabytes), hostileReps, 1),
      `${(tenMegabytes.length / 2 ** 20).toFixed(1)} MB; ${BASELINE_NOTE}`,
    ),
  );
  // What a user waits for: the command's start (node-opcua must stay out of validate's way) and one
  // small file, against a bare `node -e ""`.
  await ensureEngineBuilt();
  const cliReps = quick ? 3 : 10;
  const minimal = "test/fixtures/valid/minimal.xml";
  results.push(
    summarize(
      "cli.validate_minimal.wall_ms",
      timeEach(() => execFileSync(process.execPath, [ENGINE_BUNDLE, "validate", minimal], { cwd: REPO_ROOT }), cliReps, 1),
      "ms",
      timeEach(() => execFileSync(process.execPath, ["-e", ""]), cliReps, 1),
      'baseline: node -e "" (the runtime\'s own start)',
    ),
  );
  return results;
}
