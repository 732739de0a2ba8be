import type { StatePaths } from "../state/stateDir";
import type { EngineEvents } from "./engineEvents";

/** What the host's parts (pair lifecycle, enablement, config reload) share. */
export interface HostContext {
  readonly configFile: string;
  readonly paths: StatePaths;
  readonly processName: string;
  readonly events: EngineEvents;
  /** True once the engine began to stop: no part starts anything after that. */
  stopping(): boolean;
  /** Runs a change of state after every change queued before it, so that a reload never races an enable. */
  serially<T>(work: () => Promise<T>): Promise<T>;
  /** Operational lines that are not runtime events; never contains a secret. */
  log(line: string): void;
}
