import { defaultStateDir } from "../../engine/src/control/clientApi";

/**
 * The state folder of the engine the extension runs: the machine's, the one `redundancymaster
 * enable` and `run` use by default, so that a pair enabled in a terminal is enabled in VS Code and
 * the other way round (one enabled state per machine and config path, never in the config).
 */
export function engineStateDir(): string {
  return defaultStateDir();
}
