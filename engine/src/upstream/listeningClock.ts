import { performance } from "node:perf_hooks";

/** How often the clock looks at the time; a gap between looks longer than two of these is the engine's own stall. */
const LOOK_MS = 100;

let heard = 0;
let last = performance.now();
let ticker: NodeJS.Timeout | undefined;

function look(): number {
  const now = performance.now();
  heard += Math.min(now - last, 2 * LOOK_MS);
  last = now;
  return heard;
}

/**
 * Milliseconds in which the engine could have heard an answer. While its own event loop is
 * stalled (seconds of start-up work, a loaded machine), an answer already in the socket waits
 * too, and a plain timer fires before it is read: this clock leaves such stalls out (a gap between
 * its looks counts for two looks at most), so that a busy engine does not take a healthy server
 * for a hung one and fail over from it. One clock for the process, looking ten times a second.
 */
export function listeningTime(): number {
  if (!ticker) {
    last = performance.now();
    ticker = setInterval(look, LOOK_MS);
    ticker.unref();
  }
  return look();
}

/**
 * Calls `expired` once `ms` of listening time have passed since now, and returns the function
 * that cancels it. The timer keeps no process alive.
 */
export function listeningTimeout(ms: number, expired: () => void): () => void {
  const start = listeningTime();
  let timer: NodeJS.Timeout;
  const arm = (wait: number) => {
    timer = setTimeout(check, wait);
    timer.unref();
  };
  const check = () => {
    const left = ms - (listeningTime() - start);
    if (left <= 0) expired();
    else arm(left);
  };
  arm(ms);
  return () => clearTimeout(timer);
}
