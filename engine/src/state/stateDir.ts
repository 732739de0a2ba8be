import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { basename, extname, join, resolve } from "node:path";

/**
 * Where the engine keeps what belongs to this machine and not to the config: the event log, the
 * pairs' enabled state, the PKI folder of the pairs' certificates and their namespace tables. `--state-dir` wins; else
 * $XDG_STATE_HOME/redundancymaster, else ~/.local/state/redundancymaster (the service unit
 * passes /var/lib/redundancymaster).
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith("/") ? env.XDG_STATE_HOME : join(homedir(), ".local", "state");
  return join(base, "redundancymaster");
}

export interface StatePaths {
  dir: string;
  enabled: string;
  pki: string;
}

export function statePaths(dir: string = defaultStateDir()): StatePaths {
  const abs = resolve(dir);
  return { dir: abs, enabled: join(abs, "enabled.json"), pki: join(abs, "pki") };
}

/**
 * The preserved event log of one config: `events/<config name>-<hash of its absolute path>.json`,
 * so that engines of different configs sharing a state folder never write over each other's log.
 */
export function eventLogFile(dir: string, configFile: string): string {
  const abs = resolve(configFile);
  const hash = createHash("sha256").update(abs).digest("hex").slice(0, 8);
  return join(resolve(dir), "events", `${basename(abs, extname(abs))}-${hash}.json`);
}

/**
 * One pair's namespace tables (state/namespaceStore.ts): `namespaces/<config name>-<hash of its
 * path>/<effective name>.json`, beside the event log of the same config.
 */
export function namespaceFile(dir: string, configFile: string, pairName: string): string {
  const log = eventLogFile(dir, configFile);
  return join(resolve(dir), "namespaces", basename(log, ".json"), `${encodeURIComponent(pairName)}.json`);
}
