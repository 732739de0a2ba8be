import type { EngineMetrics, PairMetrics, Side } from "../control/protocol";

type Labels = Record<string, string>;
type Sample = [labels: Labels, value: number];

/** One metric of the exposition: its name, type and help (the README's table lists them, checked by a test), and its samples. */
export interface MetricFamily {
  name: string;
  type: "counter" | "gauge";
  help: string;
  samples(metrics: EngineMetrics): Sample[];
}

const SIDES: readonly Side[] = ["primary", "secondary"];

const perPair =
  (value: (pair: PairMetrics) => number | undefined) =>
  (metrics: EngineMetrics): Sample[] =>
    Object.entries(metrics.pairs).flatMap(([pair, figures]): Sample[] => {
      const v = value(figures);
      return v === undefined ? [] : [[{ pair }, v]];
    });

const seconds = (ms: number) => ms / 1000;

/**
 * Every metric `<metrics port>` serves, in Prometheus' text format (version 0.0.4). Counters end
 * in `_total` and count since the pair (re)started: rates are Prometheus' to compute
 * (`rate(redundancymaster_pair_values_forwarded_total[1m])`).
 */
export const METRIC_FAMILIES: readonly MetricFamily[] = [
  {
    name: "redundancymaster_pair_values_forwarded_total",
    type: "counter",
    help: "Values the pair handed its endpoint from the active side (Bad statuses in their place included).",
    samples: perPair((p) => p.valuesForwarded),
  },
  {
    name: "redundancymaster_pair_failovers_total",
    type: "counter",
    help: "Switches of the active side from one server to the other: failures, failbacks and operators' alike.",
    samples: perPair((p) => p.failovers),
  },
  {
    name: "redundancymaster_pair_last_switch_seconds",
    type: "gauge",
    help: "The last switch, from giving up the old side to the first value from the new one; absent before the first.",
    samples: perPair((p) => (p.lastSwitchMs === undefined ? undefined : seconds(p.lastSwitchMs))),
  },
  {
    name: "redundancymaster_pair_upstream_items",
    type: "gauge",
    help: "Items the pair has asked each side's server to monitor (hot: both sides; warm and cold: the active side).",
    samples: (metrics) => Object.entries(metrics.pairs).flatMap(([pair, p]) => SIDES.map((side): Sample => [{ pair, side }, p.upstreamItems[side]])),
  },
  {
    name: "redundancymaster_pair_downstream_items",
    type: "gauge",
    help: "Monitored items the endpoint's clients hold on forwarded variables.",
    samples: perPair((p) => p.downstreamItems),
  },
  {
    name: "redundancymaster_pair_standby_buffered_values",
    type: "gauge",
    help: "Values of the standby held for a replay at the switch (hot mode; 0 otherwise).",
    samples: perPair((p) => p.standbyBufferedValues),
  },
  {
    name: "redundancymaster_pair_client_queued_values",
    type: "gauge",
    help: "Values waiting in the clients' monitored-item queues for their next publish; grows when clients fall behind.",
    samples: perPair((p) => p.clientQueuedValues),
  },
  {
    name: "redundancymaster_engine_resident_memory_bytes",
    type: "gauge",
    help: "Resident set size of the engine process.",
    samples: (m) => [[{}, m.engine.rssBytes]],
  },
  {
    name: "redundancymaster_engine_event_loop_lag_p99_seconds",
    type: "gauge",
    help: "99th percentile of how late the engine's event loop ran, over the last 5 s.",
    samples: (m) => [[{}, seconds(m.engine.eventLoopLagMs.p99)]],
  },
  {
    name: "redundancymaster_engine_event_loop_lag_max_seconds",
    type: "gauge",
    help: "Longest the engine's event loop ran late, over the last 5 s.",
    samples: (m) => [[{}, seconds(m.engine.eventLoopLagMs.max)]],
  },
];

/** The figures as Prometheus text exposition (version 0.0.4). */
export function prometheusText(metrics: EngineMetrics): string {
  const lines: string[] = [];
  for (const family of METRIC_FAMILIES) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (const [labels, value] of family.samples(metrics)) lines.push(`${family.name}${labelText(labels)} ${value}`);
  }
  return `${lines.join("\n")}\n`;
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`);
  return pairs.length ? `{${pairs.join(",")}}` : "";
}

/** A label value as the format writes it: backslash, double quote and line feed escaped (a pair's alias may hold any of them but `<`, `>`, `&`). */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
