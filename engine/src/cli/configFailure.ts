import { ConfigError, ConfigReadError } from "../config/loadConfig";
import { EXIT_FINDINGS, EXIT_USAGE, type CliIo } from "./verb";

/**
 * Prints why a config could not be loaded (validate's compiler-style lines) and returns the exit
 * code: 1 for a file with errors, 2 for one that could not be read. Anything else is rethrown.
 */
export function reportConfigFailure(err: unknown, io: CliIo): number {
  if (err instanceof ConfigError) {
    for (const d of err.diagnostics.filter((x) => x.severity === "error")) {
      io.err(`${err.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`);
    }
    return EXIT_FINDINGS;
  }
  if (err instanceof ConfigReadError) {
    io.err(`redundancymaster: cannot read ${err.file}: ${err.message}`);
    return EXIT_USAGE;
  }
  throw err;
}
