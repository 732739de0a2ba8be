import { resolve } from "node:path";
import { defaultStateDir } from "../state/stateDir";

/** How to enable one pair of a config, in words that work where the engine's events are read. */
export type EnableHint = (configFile: string, pair: string) => string;

/**
 * The hint of an engine run from a terminal or a service: the CLI line, with the engine's state
 * folder when it is not the one `enable` uses by default (a service's /var/lib/redundancymaster),
 * so that the line enables the pair in this very engine.
 */
export function cliEnableHint(stateDir: string, env: NodeJS.ProcessEnv = process.env): EnableHint {
  const folder = resolve(stateDir) === resolve(defaultStateDir(env)) ? [] : ["--state-dir", resolve(stateDir)];
  return (configFile, pair) => `'${["redundancymaster", "enable", configFile, pair, ...folder].map(commandWord).join(" ")}'`;
}

/** The hint of an engine the VS Code extension runs: its command, which a user there has at hand. */
export const extensionEnableHint: EnableHint = (_configFile, pair) => `the command 'Enable Redundancy' (right-click '${pair}' in the Server Pairs view)`;

/** One word of a suggested command line: quoted when it has blanks or quotes. */
export function commandWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word);
}
