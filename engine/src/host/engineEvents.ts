import { EventEmitter } from "node:events";
import { resolve } from "node:path";
import type { DiagnosticsConfig } from "../config/model";
import type { RuntimeEvent } from "../control/protocol";
import { eventId, eventSeverity, formatEventText, type PairEventKind, type Side, type SideEventKind } from "../events/catalog";
import { EventLog } from "../events/eventLog";
import { EventStore, loadEvents, saveEventsAs } from "../events/eventStore";
import type { Notifier } from "../notify/notifier";

export type EventFields = Record<string, string | number>;

/**
 * The engine's runtime events: the log in memory, its copy on disk when the config preserves it,
 * the listeners and the notifier each event goes to. Every event of the engine is posted here.
 */
export class EngineEvents {
  notifier: Notifier | undefined;
  private log = new EventLog(5000);
  private store: EventStore | undefined;
  private readonly emitter = new EventEmitter();

  constructor(private readonly options: { file: string; processName: string; persistDebounceMs?: number }) {}

  onEvent(listener: (event: RuntimeEvent) => void): void {
    this.emitter.on("event", listener);
  }

  /** Starts the log from its preserved copy (when the config keeps one). */
  async open(diagnostics: DiagnosticsConfig): Promise<void> {
    const loaded = diagnostics.preserveOnShutdown ? await loadEvents(this.options.file) : undefined;
    this.log = new EventLog(diagnostics.maxEvents, loaded);
    this.setPreserve(diagnostics.preserveOnShutdown);
    if (loaded?.problem) this.post("eventLogUnreadable", { file: this.options.file, detail: loaded.problem });
  }

  /** A reloaded config's log settings. */
  configure(diagnostics: DiagnosticsConfig): void {
    this.log.setMaxEvents(diagnostics.maxEvents);
    this.setPreserve(diagnostics.preserveOnShutdown);
  }

  /** A pair's or the engine's event (`where.process` when another process posted it); a per-side kind needs its side. */
  post(kind: PairEventKind, fields: EventFields, where?: { pair?: string; process?: string }): void;
  post(kind: SideEventKind, fields: EventFields, where: { pair: string; side: Side; process?: string }): void;
  post(kind: SideEventKind | PairEventKind, fields: EventFields, where: { pair?: string; side?: Side; process?: string } = {}): void {
    const event = this.log.append({
      id: eventId(kind, where.side),
      severity: eventSeverity(kind),
      text: formatEventText(kind, fields),
      process: where.process ?? this.options.processName,
      pair: where.pair,
      side: where.side,
    });
    this.store?.changed();
    this.emitter.emit("event", event);
    this.notifier?.notify(event);
  }

  list(limit?: number): RuntimeEvent[] {
    return this.log.list(limit);
  }

  reset(): void {
    this.log.reset();
    this.store?.changed();
  }

  /** Save As: the log as plain text (events/eventLines.ts); throws the system error of an unwritable target. */
  saveAs(file: string): Promise<number> {
    return saveEventsAs(this.log.list(), resolve(file));
  }

  /** Writes what is pending to the preserved log now. Never rejects. */
  async flush(): Promise<void> {
    await this.store?.flush();
  }

  async close(): Promise<void> {
    await this.store?.flush();
    this.store?.close();
  }

  private setPreserve(preserve: boolean): void {
    if (!preserve) {
      this.store?.close();
      this.store = undefined;
      return;
    }
    this.store ??= new EventStore(this.log, {
      file: this.options.file,
      debounceMs: this.options.persistDebounceMs,
      onWriteFailed: (detail) => this.post("eventLogWriteFailed", { file: this.options.file, detail }),
    });
    this.store.changed();
  }
}
