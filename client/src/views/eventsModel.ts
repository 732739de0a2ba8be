import type { RuntimeEvent, Side } from "../../../engine/src/control/clientApi";

export interface ActiveSpan {
  side: Side;
  from: string;
  /** Absent while the span lasts. */
  to?: string;
}

export interface PairTimeline {
  pair: string;
  spans: ActiveSpan[];
  /** Errors and warnings of the pair, drawn as markers on its lane. */
  markers: RuntimeEvent[];
}

/**
 * What changed: everything (a load, a reset), or events appended and the oldest dropped to stay
 * within maxRows, so that a full panel takes one event in and one out instead of starting over.
 */
export type EventsChange = { kind: "reset" } | { kind: "append"; added: RuntimeEvent[]; oldestKept: number | undefined };

/**
 * The Runtime Events panel's model: the engine's events, oldest first, at most `maxRows` (the
 * oldest go first), and per pair the failover timeline (which side was active when, from the
 * `promoted.<side>` and `failoverForced.<side>` events).
 */
export class EventsModel {
  private rows: RuntimeEvent[] = [];
  private readonly seen = new Set<number>();
  private readonly listeners: Array<(change: EventsChange) => void> = [];

  constructor(private maxRows: number) {}

  get events(): readonly RuntimeEvent[] {
    return this.rows;
  }

  onChange(listener: (change: EventsChange) => void): void {
    this.listeners.push(listener);
  }

  setMaxRows(maxRows: number): void {
    this.maxRows = maxRows;
    if (this.trim()) this.emit({ kind: "append", added: [], oldestKept: this.rows[0]?.seq });
  }

  /** Replaces everything (the engine's log on start). */
  load(events: readonly RuntimeEvent[]): void {
    this.rows = [...events].sort((a, b) => a.seq - b.seq);
    this.seen.clear();
    for (const e of this.rows) this.seen.add(e.seq);
    this.trim();
    this.emit({ kind: "reset" });
  }

  add(event: RuntimeEvent): void {
    if (this.seen.has(event.seq)) return;
    this.seen.add(event.seq);
    this.rows.push(event);
    this.trim();
    this.emit({ kind: "append", added: [event], oldestKept: this.rows[0]?.seq });
  }

  clear(): void {
    this.load([]);
  }

  timelines(): PairTimeline[] {
    const byPair = new Map<string, PairTimeline>();
    const lane = (pair: string) => byPair.get(pair) ?? byPair.set(pair, { pair, spans: [], markers: [] }).get(pair)!;
    for (const e of this.rows) {
      if (!e.pair) continue;
      const timeline = lane(e.pair);
      if ((e.id.startsWith("promoted.") || e.id.startsWith("failoverForced.")) && e.side) {
        const open = timeline.spans[timeline.spans.length - 1];
        if (open && !open.to) open.to = e.time;
        timeline.spans.push({ side: e.side, from: e.time });
      } else if (e.severity !== "information") {
        timeline.markers.push(e);
      }
    }
    return [...byPair.values()].sort((a, b) => a.pair.localeCompare(b.pair));
  }

  private trim(): boolean {
    const excess = this.rows.length - this.maxRows;
    if (excess <= 0) return false;
    for (const e of this.rows.splice(0, excess)) this.seen.delete(e.seq);
    return true;
  }

  private emit(change: EventsChange): void {
    for (const l of this.listeners) l(change);
  }
}
