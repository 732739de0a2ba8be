import { homedir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Where the engine keeps what belongs to this machine and not to the config: the event log, the
 * pairs' enabled state and the PKI folder of the pairs' certificates. `--state-dir` wins; else
 * $XDG_STATE_HOME/redundancymaster, else ~/.local/state/redundancymaster (the service unit
 * passes /var/lib/redundancymaster).
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith("/") ? env.XDG_STATE_HOME : join(homedir(), ".local", "state");
  return join(base, "redundancymaster");
}

export interface StatePaths {
  dir: string;
  events: string;
  enabled: string;
  pki: string;
}

export function statePaths(dir: string = defaultStateDir()): StatePaths {
  const abs = resolve(dir);
  return { dir: abs, events: join(abs, "events.json"), enabled: join(abs, "enabled.json"), pki: join(abs, "pki") };
}
