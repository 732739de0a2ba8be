import type { RuntimeEvent } from "../control/protocol";
import type { MailBatch } from "./mailBody";

/**
 * The digest rule, so that a flapping server yields a readable digest instead of hundreds of mails:
 * - the first event after a quiet window is mailed at once;
 * - events arriving less than `windowMs` after the last mail was started wait until the window
 *   ends and then go out together in one digest mail;
 * - one mail is sent at a time; events that arrive meanwhile join the next digest;
 * - a mail lists at most `maxEventsPerMail` events: the first ones and the latest one, with a count
 *   of those left out in between (the event log has them all).
 * So at most one mail leaves per window, and the queue never holds more than `maxEventsPerMail`
 * events plus the mail being sent.
 */
export interface DigestRule {
  windowMs: number;
  maxEventsPerMail: number;
}

export const DEFAULT_DIGEST_RULE: DigestRule = { windowMs: 10_000, maxEventsPerMail: 50 };

/** Never rejects: a failure is the sender's to report. */
export type SendBatch = (batch: MailBatch) => Promise<void>;

export class NotificationQueue {
  private events: RuntimeEvent[] = [];
  private omitted = 0;
  private lastMailAt = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private draining = false;

  constructor(
    private readonly rule: DigestRule,
    private readonly send: SendBatch,
    private readonly now: () => number,
  ) {
    if (rule.maxEventsPerMail < 2) throw new Error("a digest lists at least 2 events (the first and the latest)");
  }

  /** Queues an event; returns at once. */
  push(event: RuntimeEvent): void {
    if (this.draining) return;
    if (this.events.length < this.rule.maxEventsPerMail) this.events.push(event);
    else {
      this.events[this.events.length - 1] = event;
      this.omitted++;
    }
    this.pump();
  }

  /** Drops what waits (e.g. notifications were disabled); a mail being sent still goes. */
  clear(): void {
    this.events = [];
    this.omitted = 0;
    this.stopTimer();
  }

  /** Sends what waits without waiting for the window, and waits for it at most `timeoutMs`. Later pushes are ignored. */
  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    this.stopTimer();
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      deadline = setTimeout(resolve, timeoutMs);
    });
    const idle = (async () => {
      while (this.inFlight || this.events.length > 0) {
        this.pump();
        await this.inFlight;
      }
    })();
    try {
      await Promise.race([idle, timedOut]);
    } finally {
      clearTimeout(deadline);
    }
  }

  private pump(): void {
    if (this.inFlight || this.timer || this.events.length === 0) return;
    const wait = this.draining ? 0 : this.lastMailAt + this.rule.windowMs - this.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      this.timer.unref();
      return;
    }
    const batch: MailBatch = { events: this.events, omitted: this.omitted };
    this.events = [];
    this.omitted = 0;
    this.lastMailAt = this.now();
    this.inFlight = this.send(batch)
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = undefined;
        this.pump();
      });
  }

  private stopTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
