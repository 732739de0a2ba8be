import type { RuntimeEvent } from "../control/protocol";

/** An event as its poster gives it; the log stamps seq and (unless given) time. */
export type NewEvent = Omit<RuntimeEvent, "seq" | "time"> & { time?: string };

/**
 * The runtime event log in memory: a ring of at most `maxEvents` (the seed's 1000–30000), the
 * oldest dropped first. Sequence numbers keep increasing across resets (and across restarts when
 * the store preserved the log), so a reader can tell a new event from one it has seen.
 */
export class EventLog {
  private events: RuntimeEvent[];
  private nextSeq: number;

  constructor(
    private maxEvents: number,
    initial: { events: RuntimeEvent[]; nextSeq: number } = { events: [], nextSeq: 1 },
  ) {
    this.events = initial.events.slice(-maxEvents);
    this.nextSeq = Math.max(initial.nextSeq, (this.events.at(-1)?.seq ?? 0) + 1);
  }

  append(event: NewEvent): RuntimeEvent {
    const stamped: RuntimeEvent = { ...event, seq: this.nextSeq++, time: event.time ?? new Date().toISOString() };
    this.events.push(stamped);
    if (this.events.length > this.maxEvents) this.events.shift();
    return stamped;
  }

  /** The newest `limit` events (all when omitted), oldest first. */
  list(limit?: number): RuntimeEvent[] {
    return limit === undefined ? [...this.events] : limit <= 0 ? [] : this.events.slice(-limit);
  }

  get size(): number {
    return this.events.length;
  }

  /** The seq the next event gets. */
  get upcomingSeq(): number {
    return this.nextSeq;
  }

  /** Empties the log (the seed's Reset); numbering goes on. */
  reset(): void {
    this.events = [];
  }

  /** A reloaded config's maxEvents; shrinking drops the oldest at once. */
  setMaxEvents(maxEvents: number): void {
    this.maxEvents = maxEvents;
    if (this.events.length > maxEvents) this.events = this.events.slice(-maxEvents);
  }
}
