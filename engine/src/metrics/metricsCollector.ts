import type { EngineMetrics, PairMetrics } from "../control/protocol";
import { EngineFiguresMeter } from "./engineFigures";

/** What a running pair measures itself (pair/pair.ts). */
export type PairOwnFigures = Pick<PairMetrics, "valuesForwarded" | "failovers" | "lastSwitchMs" | "upstreamItems" | "standbyBufferedValues">;
/** What its endpoint measures (proxy/valueForwarding.ts); zeros while no endpoint serves. */
export type EndpointFigures = Pick<PairMetrics, "downstreamItems" | "clientQueuedValues">;
export type PairFigures = PairOwnFigures & EndpointFigures;

/** The measuring window: rates and the event-loop lag are over the last one. */
export const METRICS_WINDOW_MS = 5000;

interface Rate {
  count: number;
  at: number;
  perSecond: number;
}

/**
 * Gathers the engine's figures and each running pair's, as the control snapshot and the
 * Prometheus text give them. Counters are read when asked; the rates and the event-loop lag are
 * computed once per window, so that what one reader sees does not depend on how often another asks.
 */
export class MetricsCollector {
  private readonly meter = new EngineFiguresMeter();
  private readonly rates = new Map<string, Rate>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pairs: () => Map<string, PairFigures>,
    windowMs = METRICS_WINDOW_MS,
  ) {
    this.timer = setInterval(() => this.closeWindow(), windowMs);
    this.timer.unref();
  }

  metrics(): EngineMetrics {
    const pairs: Record<string, PairMetrics> = {};
    for (const [name, figures] of this.pairs()) pairs[name] = { ...figures, valuesPerSecond: this.rates.get(name)?.perSecond ?? 0 };
    return { time: new Date().toISOString(), engine: this.meter.figures(), pairs };
  }

  dispose(): void {
    clearInterval(this.timer);
    this.meter.dispose();
  }

  private closeWindow(): void {
    this.meter.closeWindow();
    const now = performance.now();
    const seen = new Set<string>();
    for (const [name, { valuesForwarded: count }] of this.pairs()) {
      seen.add(name);
      const before = this.rates.get(name);
      const seconds = before ? (now - before.at) / 1000 : 0;
      // A pair restarted since (its counters began anew) counts from zero.
      const delta = before && count >= before.count ? count - before.count : count;
      this.rates.set(name, { count, at: now, perSecond: seconds > 0 ? Math.round((delta / seconds) * 10) / 10 : 0 });
    }
    for (const name of this.rates.keys()) if (!seen.has(name)) this.rates.delete(name);
  }
}
