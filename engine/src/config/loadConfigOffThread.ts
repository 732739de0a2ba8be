import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { ConfigError, ConfigReadError, type LoadedConfig } from "./loadConfig";
import type { ConfigDiagnostic } from "./validate";

export type ConfigWorkerAnswer =
  { loaded: LoadedConfig } | { refused: { diagnostics: ConfigDiagnostic[]; errorCount: number } } | { unreadable: { message: string; code?: string } } | { failed: string };

/**
 * Heap a check may use: a real configuration needs a few MB; a hostile one (hundreds of thousands
 * of unknown elements) is refused when it needs more, instead of growing the engine.
 */
const WORKER_HEAP_MB = 256;

/** The worker's script: beside the bundle (dist/configWorker.js), or the source under tsx. */
const WORKER_SCRIPT = ["configWorker.js", "configWorker.ts"].map((name) => join(__dirname, name)).find((path) => existsSync(path));

/**
 * loadConfigFile in a worker thread, for a reload while pairs forward values: a huge or hostile
 * file took the engine's one thread for seconds (every pair's clients lost values meanwhile) and
 * kept hundreds of MB after it was refused. In the worker it costs the forwarding nothing, and
 * what it took is freed with the thread. Throws ConfigError (with the first errors and their
 * count) or ConfigReadError as loadConfigFile does.
 */
export function loadConfigOffThread(file: string): Promise<LoadedConfig> {
  if (!WORKER_SCRIPT) return Promise.reject(new Error(`the config check's worker script is missing beside ${__dirname}`));
  return new Promise((done, fail) => {
    const options = { workerData: { file }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } };
    // Under tsx (tests, a run from the sources) the worker does not inherit its loader: it registers it itself.
    const worker = WORKER_SCRIPT.endsWith(".ts") ? new Worker(`require("tsx/cjs"); require(${JSON.stringify(WORKER_SCRIPT)});`, { ...options, eval: true }) : new Worker(WORKER_SCRIPT, options);
    worker.once("message", (answer: ConfigWorkerAnswer) => {
      if ("loaded" in answer) done(answer.loaded);
      else if ("refused" in answer) fail(new ConfigError(file, answer.refused.diagnostics, answer.refused.errorCount));
      else if ("unreadable" in answer) fail(new ConfigReadError(file, answer.unreadable.message, answer.unreadable.code));
      else fail(new Error(answer.failed));
      void worker.terminate();
    });
    worker.once("error", (error: NodeJS.ErrnoException) => {
      fail(new Error(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? `checking it needed more than ${WORKER_HEAP_MB} MB; it is not a configuration this engine takes` : error.message));
    });
    worker.once("exit", (code) => fail(new Error(`the config check ended (exit ${code}) without an answer`)));
  });
}
