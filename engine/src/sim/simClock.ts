/** The sims' clock tick: the Counter and the Watchdog show floor(now / TICK_MS). */
export const TICK_MS = 100;

/** How long after a tick's start its value is set: a timer fires a little early now and then (node's clock is the loop's, taken before the callback ran). */
const SET_AFTER_MS = 10;

/** The current tick: two sims show the same value at the same moment. */
export function tick(): number {
  return Math.floor(Date.now() / TICK_MS);
}

/**
 * Calls `onTick` once in each tick, just after it starts. A setInterval of TICK_MS drifts later
 * by a fraction of a millisecond each time (more on a loaded machine), and whenever its phase
 * crossed a tick's start the Counter jumped by two: each sim skipped a value every 10–30 s, which a
 * client saw as a lost value it had never been sent. Only a stall longer than the tick skips one now.
 */
export function everyTick(onTick: () => void): { stop(): void } {
  let timer: NodeJS.Timeout;
  const schedule = () => {
    timer = setTimeout(
      () => {
        onTick();
        schedule();
      },
      TICK_MS - (Date.now() % TICK_MS) + SET_AFTER_MS,
    );
  };
  schedule();
  return { stop: () => clearTimeout(timer) };
}
