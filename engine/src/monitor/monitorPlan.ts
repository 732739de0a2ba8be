import type { MonitorItemConfig } from "../config/model";
import { parseTriggerValue, type TriggerValue } from "./triggerValue";

/** A monitor item as the engine runs it: its trigger data interpreted once, for both sides. */
export interface MonitorPlan {
  config: MonitorItemConfig;
  /** noDataChange: the period in ms, at least 2 × the update rate. */
  noDataChangeMs?: number;
  /** noDataChange: the configured period was below 2 × the update rate and was raised (the seed's rule). */
  adjusted?: boolean;
  /** specificValue: the value that puts the item in error. */
  target?: TriggerValue;
}

export function planItem(config: MonitorItemConfig): MonitorPlan {
  if (config.trigger === "noDataChange") {
    const floor = 2 * config.updateRateMs;
    const given = Number(config.triggerData);
    const configured = Number.isFinite(given) && given > 0 ? given : floor;
    return { config, noDataChangeMs: Math.max(configured, floor), adjusted: configured < floor };
  }
  if (config.trigger === "specificValue") return { config, target: parseTriggerValue(config.triggerData ?? "", config.dataType) };
  return { config };
}
