import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import type { EngineFigures } from "../control/protocol";

/** The event-loop delay histogram's resolution (ms): finer costs a timer turn more often for nothing an operator acts on. */
const RESOLUTION_MS = 10;

const ms = (ns: number) => Math.round(ns / 1e4) / 100;

/**
 * The engine process's own figures: its resident memory, and how late its event loop ran
 * (perf_hooks' event-loop delay histogram), per measuring window. The lag is what every pair's
 * forwarding waits for, at most: a value that arrives while the loop is busy waits that long.
 */
export class EngineFiguresMeter {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private lag: EngineFigures["eventLoopLagMs"] = { p99: 0, max: 0 };

  constructor() {
    this.delay.enable();
  }

  /** Closes the measuring window: its lag is what figures() reports until the next one closes. */
  closeWindow(): void {
    const h = this.delay;
    // The histogram counts the resolution itself as delay: only what lies beyond it is lag.
    const beyond = (ns: number) => ms(Math.max(0, ns - RESOLUTION_MS * 1e6));
    this.lag = h.count > 0 ? { p99: beyond(h.percentile(99)), max: beyond(h.max) } : this.lag;
    h.reset();
  }

  figures(): EngineFigures {
    return { rssBytes: process.memoryUsage.rss(), eventLoopLagMs: this.lag };
  }

  dispose(): void {
    this.delay.disable();
  }
}
