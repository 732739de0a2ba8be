import { performance } from "node:perf_hooks";

/** How often a bound looks at the clock; a gap between looks longer than two of these is the engine's own stall. */
const LOOK_MS = 100;

/**
 * Races a promise against a timer. A hung server (SIGSTOP) still accepts TCP and never answers,
 * so every request the engine or the editor sends upstream goes through here. The timer never
 * keeps the process alive on its own.
 *
 * The time counted is the time the engine could have heard the answer: while its own event loop
 * is stalled (seconds of work at start-up, a loaded machine), an answer already in the socket
 * waits too, and a plain timer fires before it is read. Such stalls are not charged to the server,
 * so a busy engine does not mistake a healthy server for a hung one and fail over from it.
 */
export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    let counted = 0;
    let last = performance.now();
    const look = () => {
      const now = performance.now();
      counted += Math.min(now - last, 2 * LOOK_MS);
      last = now;
      if (counted >= ms) return fail(new Error(`${what} timed out after ${ms} ms`));
      timer = setTimeout(look, Math.min(LOOK_MS, ms - counted));
      timer.unref();
    };
    timer = setTimeout(look, Math.min(LOOK_MS, ms));
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
