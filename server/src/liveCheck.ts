import { monitorItems, servers, valueSpan } from "../../engine/src/config/rules/rule";
import type { ConfigAnalysis, ConfigDiagnostic } from "../../engine/src/config/validate";
import { attribute } from "../../engine/src/config/xmlTree";
import type { EndpointPool } from "../../engine/src/browse/endpointPool";
import { checkItemsLive, liveItemKey, type LiveCheckResult } from "../../engine/src/browse/liveItemCheck";
import { pairEndpoints } from "../../engine/src/browse/pairEndpoints";
import type { AnalyzedDocument } from "./documents";

/** Quiet time after a validation before the servers are asked, so typing never queues lookups. */
export const LIVE_CHECK_DELAY_MS = 300;

/** While a server cannot be reached the check is repeated this often, so its findings appear when it comes back. */
export const LIVE_RECHECK_MS = 30_000;

/**
 * Runs RM061 in the background after the offline diagnostics were published, then has them
 * republished with its findings. Results belong to one document version: an edit makes them
 * stale until the next run, and a run overtaken by an edit is discarded.
 */
export class LiveChecks {
  private readonly results = new Map<string, { version: number; diagnostics: ConfigDiagnostic[] }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** One run at a time per document; a version validated meanwhile waits here for its turn. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly pool: EndpointPool,
    private readonly republish: (uri: string) => void,
    private readonly currentVersion: (uri: string) => number | undefined,
    private readonly recheckMs = LIVE_RECHECK_MS,
  ) {}

  /**
   * The live findings for this version: those of its own run, else the last run's moved to
   * where the same items now are, so warnings do not flicker while the user types.
   */
  findings(analyzed: AnalyzedDocument): ConfigDiagnostic[] {
    const result = this.results.get(analyzed.uri);
    if (!result || result.diagnostics.length === 0) return [];
    return result.version === analyzed.version ? result.diagnostics : carriedOver(result.diagnostics, analyzed.analysis);
  }

  /** After a validation: checks this version unless it was checked already. */
  schedule(analyzed: AnalyzedDocument): void {
    if (this.results.get(analyzed.uri)?.version !== analyzed.version) this.runAfter(analyzed, LIVE_CHECK_DELAY_MS);
  }

  private runAfter(analyzed: AnalyzedDocument, delayMs: number): void {
    clearTimeout(this.timers.get(analyzed.uri));
    const timer = setTimeout(() => void this.run(analyzed), delayMs);
    timer.unref();
    this.timers.set(analyzed.uri, timer);
  }

  forget(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.results.delete(uri);
  }

  private async run(analyzed: AnalyzedDocument): Promise<void> {
    this.timers.delete(analyzed.uri);
    const previous = this.running.get(analyzed.uri);
    const current = (previous ?? Promise.resolve()).then(() => this.check(analyzed));
    this.running.set(analyzed.uri, current);
    await current;
    if (this.running.get(analyzed.uri) === current) this.running.delete(analyzed.uri);
  }

  private async check(analyzed: AnalyzedDocument): Promise<void> {
    if (this.currentVersion(analyzed.uri) !== analyzed.version) return;
    let result: LiveCheckResult;
    try {
      result = await checkItemsLive(analyzed.analysis, this.pool);
    } catch {
      return;
    }
    if (this.currentVersion(analyzed.uri) !== analyzed.version) return;
    const { diagnostics } = result;
    const before = this.results.get(analyzed.uri);
    this.results.set(analyzed.uri, { version: analyzed.version, diagnostics });
    if (diagnostics.length > 0 || (before?.diagnostics.length ?? 0) > 0) this.republish(analyzed.uri);
    if (result.unreachable.size > 0) this.runAfter(analyzed, this.recheckMs);
  }
}

function carriedOver(previous: ConfigDiagnostic[], analysis: ConfigAnalysis): ConfigDiagnostic[] {
  const byKey = new Map(previous.map((d) => [d.data?.key, d]));
  const moved: ConfigDiagnostic[] = [];
  for (const server of servers({ text: analysis.text, tree: analysis.tree })) {
    const endpoints = pairEndpoints(server);
    for (const item of monitorItems(server)) {
      const id = attribute(item, "id");
      const finding = id && byKey.get(liveItemKey(endpoints, id.value.trim()));
      if (!finding) continue;
      const span = valueSpan(id);
      moved.push({ ...finding, span, range: analysis.lines.rangeOf(span) });
    }
  }
  return moved;
}
