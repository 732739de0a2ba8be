import type { EngineFigures, PairMetrics } from "../../../engine/src/control/clientApi";

const count = (n: number) => n.toLocaleString("en-US");
const megabytes = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
const duration = (ms: number) => (ms < 10 ? `${ms.toFixed(1)} ms` : ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/**
 * A running pair's operating figures as its tooltip shows them, one line each, with the engine's
 * own (the same figures as the Prometheus text of `<metrics port>`).
 */
export function pairFigureLines(pair: PairMetrics, engine: EngineFigures): string[] {
  const held = pair.standbyBufferedValues > 0 ? ` · ${count(pair.standbyBufferedValues)} standby values held for a switch` : "";
  return [
    `Values forwarded: ${count(pair.valuesPerSecond)}/s (${count(pair.valuesForwarded)} since the pair started)`,
    `Items: ${count(pair.downstreamItems)} of clients · upstream ${count(pair.upstreamItems.primary)} on the primary, ${count(pair.upstreamItems.secondary)} on the secondary`,
    `Queued for clients: ${count(pair.clientQueuedValues)} value${pair.clientQueuedValues === 1 ? "" : "s"}${held}`,
    `Failovers: ${count(pair.failovers)}${pair.lastSwitchMs === undefined ? "" : ` · last switch ${duration(pair.lastSwitchMs)}`}`,
    `Engine: ${megabytes(engine.rssBytes)} resident · event-loop lag p99 ${duration(engine.eventLoopLagMs.p99)}, max ${duration(engine.eventLoopLagMs.max)}`,
  ];
}
