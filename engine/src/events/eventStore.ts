import { mkdir, readFile, rename } from "node:fs/promises";
import { dirname } from "node:path";
import type { RuntimeEvent } from "../control/protocol";
import { writeFileAtomic } from "../state/atomicFile";
import { savedLogLine } from "./eventLines";
import type { EventLog } from "./eventLog";

const FORMAT = "redundancymaster-events";
const VERSION = 1;

export interface LoadedEvents {
  events: RuntimeEvent[];
  nextSeq: number;
  /** Why the file was not used (unreadable or corrupt) and where its content was kept; absent when it loaded or did not exist. */
  problem?: string;
}

/**
 * Reads the preserved log. A missing file is a fresh start; an unreadable or corrupt one is
 * moved aside to `FILE.corrupt-<time>` (nothing is lost) and the log starts fresh, saying so.
 */
export async function loadEvents(file: string): Promise<LoadedEvents> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { events: [], nextSeq: 1 };
    return { events: [], nextSeq: 1, problem: `it could not be read (${code ?? (err as Error).message})` };
  }
  try {
    const data = JSON.parse(text) as { format?: string; version?: number; nextSeq?: number; events?: RuntimeEvent[] };
    if (data.format !== FORMAT || data.version !== VERSION || !Array.isArray(data.events) || !Number.isInteger(data.nextSeq)) {
      throw new Error("not a version 1 event log");
    }
    if (!data.events.every(isEvent)) throw new Error("an entry is not an event");
    return { events: data.events, nextSeq: data.nextSeq! };
  } catch (err) {
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    const kept = await rename(file, aside).then(() => `; its content was kept in '${aside}'`, () => "");
    return { events: [], nextSeq: 1, problem: `it is corrupt (${(err as Error).message})${kept}` };
  }
}

function isEvent(e: unknown): e is RuntimeEvent {
  const v = e as RuntimeEvent;
  return !!v && Number.isInteger(v.seq) && typeof v.time === "string" && typeof v.id === "string" && typeof v.text === "string";
}

export interface EventStoreOptions {
  file: string;
  /** How long changes gather before one write (a burst of events costs one write). */
  debounceMs?: number;
  /** A write failed after the last one succeeded (posted once per transition, never on every retry). */
  onWriteFailed(detail: string): void;
}

const DEFAULT_DEBOUNCE_MS = 1000;

/**
 * Keeps the event log on disk while `preserveOnShutdown` is on: writes are debounced, atomic
 * (state/atomicFile.ts) and forced by flush() at shutdown. A failing disk never throws at the
 * engine: the events stay in memory and the next change tries again.
 */
export class EventStore {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private failing = false;

  constructor(private readonly log: EventLog, private readonly options: EventStoreOptions) {}

  /** The log changed; it is written within debounceMs. */
  changed(): void {
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  }

  /** Writes pending changes now (and waits for a write under way). Never rejects. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(() => this.writeIfDirty());
    await this.writing;
  }

  private async writeIfDirty(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const data = { format: FORMAT, version: VERSION, nextSeq: this.log.upcomingSeq, events: this.log.list() };
    try {
      await mkdir(dirname(this.options.file), { recursive: true });
      await writeFileAtomic(this.options.file, JSON.stringify(data));
      this.failing = false;
    } catch (err) {
      if (this.failing) return;
      this.failing = true;
      const e = err as NodeJS.ErrnoException;
      this.options.onWriteFailed(e.code ? `${e.code}: ${e.message}` : String(e.message ?? e));
    }
  }

  /** Stops the debounce timer without writing (after a final flush). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Save As: the log as plain text, one event per line (format in eventLines.ts); returns the count. Throws the system error. */
export async function saveEventsAs(events: readonly RuntimeEvent[], file: string): Promise<number> {
  await writeFileAtomic(file, events.map((e) => savedLogLine(e) + "\n").join(""), 0o644);
  return events.length;
}
