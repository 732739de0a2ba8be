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
  return !diff.added.length && !diff.removed.length && !diff.changed.length && !diff.diagnosticsChanged && !diff.notificationsChanged;
}

/** The diff in words for the configReloaded event: "pairs added: A; restarted: B; removed: C" or "nothing changed". */
export function describeDiff(diff: ConfigDiff): string {
  const parts = [
    diff.added.length ? `added ${quoteAll(diff.added)}` : "",
    diff.changed.length ? `restarted ${quoteAll(diff.changed)}` : "",
    diff.removed.length ? `removed ${quoteAll(diff.removed)}` : "",
    diff.diagnosticsChanged ? "diagnostics settings applied" : "",
    diff.notificationsChanged ? "notification settings applied" : "",
  ].filter(Boolean);
  return isEmptyDiff(diff) ? "nothing changed" : parts.join("; ");
}

function quoteAll(names: string[]): string {
  return names.map((n) => `'${n}'`).join(", ");
}
