import type { ServerPairConfig } from "../config/model";
import type { PairSnapshot, SideSnapshot } from "../control/protocol";
import type { Side } from "../events/catalog";

/** How a pair that is not running (disabled on this machine) appears in snapshots. */
export function disabledSnapshot(config: ServerPairConfig): PairSnapshot {
  const side = (s: Side): SideSnapshot => ({
    side: s,
    host: config[s].host,
    url: config[s].url,
    state: "Disconnected",
    monitorTest: "unknown",
    items: config.monitoring.items.map((item) => ({ id: item.id, trigger: item.trigger, inError: false, unknown: true as const })),
  });
  return {
    name: config.effectiveName,
    configName: config.name,
    alias: config.alias,
    enabled: false,
    mode: config.connection.mode,
    port: config.port,
    active: null,
    status: "Disabled",
    primary: side("primary"),
    secondary: side("secondary"),
  };
}
