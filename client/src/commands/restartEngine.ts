import type { Services } from "../services";
import { startEngine } from "./startEngine";

/** Start stops a running engine first, so a restart is a start. */
export function restartEngine(services: Services): Promise<void> {
  return startEngine(services);
}
