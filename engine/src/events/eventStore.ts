import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { RuntimeEvent } from "../control/protocol";
import { writeFileAtomic } from "../state/atomicFile";
import { savedLogLine } from "./eventLines";
import type { EventLog } from "./eventLog";

const FORMAT = "redundancymaster-events";
const VERSION = 1;
/** Corrupt logs kept aside at most: enough to look into a problem, never a folder that fills up with them. */
const CORRUPT_COPIES_KEPT = 3;

export interface LoadedEvents {
  events: RuntimeEvent[];
  nextSeq: number;
  /** Why the file was not used (unreadable or corrupt) and where its content was kept; absent when it loaded or did not exist. */
  problem?: string;
}

/**
 * Reads the preserved log. A missing file is a fresh start; an unreadable or corrupt one is
 * moved aside to `FILE.corrupt-<time>` and the log starts fresh, saying so; the newest
 * CORRUPT_COPIES_KEPT copies are kept. The problem names no byte of the file: a corrupt log may
 * hold anything, and the text goes to the event log, mails and terminals.
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
    const data = parseJson(text) as { format?: string; version?: number; nextSeq?: number; events?: RuntimeEvent[] };
    if (data.format !== FORMAT || data.version !== VERSION || !Array.isArray(data.events) || !Number.isInteger(data.nextSeq)) {
      throw new Error("not a version 1 event log");
    }
    if (!data.events.every(isEvent)) throw new Error("an entry is not an event");
    return { events: data.events, nextSeq: data.nextSeq! };
  } catch (err) {
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    const kept = await rename(file, aside).then(
      () => `; its content was kept in '${aside}'`,
      () => "",
    );
    await removeOldCorruptCopies(file);
    return { events: [], nextSeq: 1, problem: `it is corrupt (${(err as Error).message})${kept}` };
  }
}

/** JSON.parse, whose errors quote the text they failed on, with an error that does not. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`not valid JSON (${text.length} characters)`);
  }
}

async function removeOldCorruptCopies(file: string): Promise<void> {
  const folder = dirname(file);
  const prefix = `${basename(file)}.corrupt-`;
  const copies = (await readdir(folder).catch(() => [])).filter((name) => name.startsWith(prefix)).sort();
  await Promise.all(copies.slice(0, -CORRUPT_COPIES_KEPT).map((name) => rm(join(folder, name), { force: true })));
}

/** A system error's text once: Node's own messages already begin with the code ("ENOSPC: no space left on device, write"). */
function systemErrorText(error: NodeJS.ErrnoException): string {
  const message = String(error.message ?? error);
  return error.code && !message.startsWith(error.code) ? `${error.code}: ${message}` : message;
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

  constructor(
    private readonly log: EventLog,
    private readonly options: EventStoreOptions,
  ) {}

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
      this.options.onWriteFailed(systemErrorText(err as NodeJS.ErrnoException));
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
