import { isDeepStrictEqual } from "node:util";
import type { RedundancyConfig } from "../config/model";

export interface ConfigDiff {
  /** Effective names, in the new file's order (removed: the old file's order). */
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: string[];
  diagnosticsChanged: boolean;
  notificationsChanged: boolean;
  metricsChanged: boolean;
}

/** What a reload changes, pair by pair (keyed by effective name): only `added` and `changed` pairs are (re)started, only `removed` and `changed` ones stopped. */
export function diffConfigs(before: RedundancyConfig, after: RedundancyConfig): ConfigDiff {
  const old = new Map(before.servers.map((s) => [s.effectiveName, s]));
  const next = new Map(after.servers.map((s) => [s.effectiveName, s]));
  const diff: ConfigDiff = {
    added: [],
    removed: before.servers.map((s) => s.effectiveName).filter((n) => !next.has(n)),
    changed: [],
    unchanged: [],
    diagnosticsChanged: !isDeepStrictEqual(before.diagnostics, after.diagnostics),
    notificationsChanged: !isDeepStrictEqual(before.notifications, after.notifications),
    metricsChanged: !isDeepStrictEqual(before.metrics, after.metrics),
  };
  for (const [name, pair] of next) {
    const previous = old.get(name);
    if (!previous) diff.added.push(name);
    else if (isDeepStrictEqual(previous, pair)) diff.unchanged.push(name);
    else diff.changed.push(name);
  }
  return diff;
}

export function isEmptyDiff(diff: ConfigDiff): boolean {
  return !diff.added.length && !diff.removed.length && !diff.changed.length && !diff.diagnosticsChanged && !diff.notificationsChanged && !diff.metricsChanged;
}

/**
 * The diff in words for the configReloaded event: "added 'A'; restarted 'B'; removed 'C'" or
 * "nothing changed". `waiting`: changed pairs that keep running until their new port is free.
 */
export function describeDiff(diff: ConfigDiff, waiting: string[] = []): string {
  const restarted = diff.changed.filter((name) => !waiting.includes(name));
  const parts = [
    diff.added.length ? `added ${quoteAll(diff.added)}` : "",
    restarted.length ? `restarted ${quoteAll(restarted)}` : "",
    waiting.length ? `waiting for a free port: ${quoteAll(waiting)}` : "",
    diff.removed.length ? `removed ${quoteAll(diff.removed)}` : "",
    diff.diagnosticsChanged ? "diagnostics settings applied" : "",
    diff.notificationsChanged ? "notification settings applied" : "",
    diff.metricsChanged ? "metrics settings applied" : "",
  ].filter(Boolean);
  return isEmptyDiff(diff) ? "nothing changed" : parts.join("; ");
}

function quoteAll(names: string[]): string {
  return names.map((n) => `'${n}'`).join(", ");
}
