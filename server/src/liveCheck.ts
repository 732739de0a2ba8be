import type { ConfigDiagnostic } from "../../engine/src/config/validate";
import type { EndpointPool } from "./browse/endpointPool";
import { checkItemsLive } from "./browse/liveItemCheck";
import type { AnalyzedDocument } from "./documents";

/** Quiet time after a validation before the servers are asked, so typing never queues lookups. */
export const LIVE_CHECK_DELAY_MS = 300;

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
  ) {}

  /** The live findings for exactly this version, if a run finished for it. */
  findings(uri: string, version: number): ConfigDiagnostic[] {
    const result = this.results.get(uri);
    return result?.version === version ? result.diagnostics : [];
  }

  schedule(analyzed: AnalyzedDocument): void {
    if (this.results.get(analyzed.uri)?.version === analyzed.version) return;
    clearTimeout(this.timers.get(analyzed.uri));
    const timer = setTimeout(() => void this.run(analyzed), LIVE_CHECK_DELAY_MS);
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
    let diagnostics: ConfigDiagnostic[];
    try {
      diagnostics = await checkItemsLive(analyzed.analysis, this.pool);
    } catch {
      return;
    }
    if (this.currentVersion(analyzed.uri) !== analyzed.version) return;
    const before = this.results.get(analyzed.uri);
    this.results.set(analyzed.uri, { version: analyzed.version, diagnostics });
    if (diagnostics.length > 0 || (before?.diagnostics.length ?? 0) > 0) this.republish(analyzed.uri);
  }
}
