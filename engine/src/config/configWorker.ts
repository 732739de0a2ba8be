import { parentPort, workerData } from "node:worker_threads";
import { ConfigError, ConfigReadError, loadConfigFile } from "./loadConfig";
import type { ConfigWorkerAnswer } from "./loadConfigOffThread";
import { errorMessage } from "../errorMessage";

/** How many of a refused file's errors are sent back: the event names three, and a hostile file has hundreds of thousands. */
const ERRORS_SENT = 3;

/** A worker thread's one job (loadConfigOffThread.ts): read and check the config file `workerData.file`, answer, end. */
async function answer(file: string): Promise<ConfigWorkerAnswer> {
  try {
    return { loaded: await loadConfigFile(file) };
  } catch (err) {
    if (err instanceof ConfigError) {
      const errors = err.diagnostics.filter((d) => d.severity === "error");
      return { refused: { diagnostics: errors.slice(0, ERRORS_SENT), errorCount: errors.length } };
    }
    if (err instanceof ConfigReadError) return { unreadable: { message: err.message, code: err.code } };
    return { failed: errorMessage(err) };
  }
}

void answer((workerData as { file: string }).file).then((message) => parentPort!.postMessage(message));
