import type { PairSnapshot } from "../../engine/src/control/clientApi";

export interface PairsSummary {
  text: string;
  /** ok: every enabled pair serves with its standby; degraded: some serve without one; outage: some serve nothing. */
  level: "ok" | "degraded" | "outage";
  tooltip: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The engine's pairs in one line, separating what clients feel from what the operator should
 * fix: a pair serves while it has an active side; it is without standby when its other side is
 * not running. Only a pair that serves nothing is an outage.
 */
export function summarizePairs(pairs: readonly PairSnapshot[]): PairsSummary {
  const enabled = pairs.filter((p) => p.enabled);
  const disabled = pairs.length - enabled.length;
  const serving = enabled.filter((p) => p.active !== null);
  const withoutStandby = serving.filter((p) => p[p.active === "primary" ? "secondary" : "primary"].state !== "Running");
  const dark = enabled.length - serving.length;
  const parts = [dark ? `${serving.length} of ${plural(enabled.length, "pair")} serving` : `${plural(serving.length, "pair")} serving`];
  if (withoutStandby.length) parts.push(`${withoutStandby.length} without standby`);
  if (disabled) parts.push(`${disabled} disabled`);
  const lines = [
    ...enabled.filter((p) => p.active === null).map((p) => `${p.name}: serves nothing (${p.status})`),
    ...withoutStandby.map((p) => `${p.name}: served by the ${p.active}, no standby (${p.status})`),
  ];
  return {
    text: enabled.length ? parts.join(" · ") : `no pair enabled${disabled ? ` · ${disabled} disabled` : ""}`,
    level: dark ? "outage" : withoutStandby.length ? "degraded" : "ok",
    tooltip: lines.length ? lines.join("\n") : enabled.length ? "Every enabled pair serves, with its standby" : "Enable a pair in the Server Pairs view",
  };
}
