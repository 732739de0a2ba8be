import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pairFigureLines } from "../../client/src/views/pairFigures";
import type { EngineMetrics, PairMetrics } from "../../engine/src/control/protocol";
import { PairCounters } from "../../engine/src/metrics/pairCounters";
import { METRIC_FAMILIES, prometheusText } from "../../engine/src/metrics/prometheusText";

describe("a pair's counters", () => {
  it("count every value handed on, and a switch only when the active side changes", () => {
    const c = new PairCounters();
    c.activated("primary", true);
    for (let i = 0; i < 5; i++) c.forwarded();
    assert.deepEqual([c.valuesForwarded, c.failovers, c.lastSwitchMs], [5, 0, undefined], "the first side to serve is no failover");
    c.activated(null, true);
    c.activated("primary", true);
    assert.equal(c.failovers, 0, "the same side back after an outage is no failover");
  });

  it("time a switch from giving up the old side to the new side's first value", () => {
    const c = new PairCounters();
    c.activated("primary", true);
    const lostAt = performance.now() - 300;
    c.activated(null, true, lostAt);
    c.activated("secondary", true, lostAt + 100);
    assert.equal(c.lastSwitchMs, undefined, "not over before a value came");
    c.forwarded();
    assert.equal(c.failovers, 1);
    assert.ok(c.lastSwitchMs! >= 300 && c.lastSwitchMs! < 1000, `${c.lastSwitchMs} ms`);
    c.forwarded();
    assert.ok(c.lastSwitchMs! < 1000, "later values do not move it");
  });

  it("count a direct switch (hot, forced) and failback alike; a pair that forwards nothing ends its switch at the activation", () => {
    const c = new PairCounters();
    c.activated("primary", false, 1000);
    c.activated("secondary", false, 1000);
    c.activated(null, false, 2000);
    c.activated("primary", false, 2250);
    assert.deepEqual([c.failovers, c.lastSwitchMs], [2, 250]);
  });
});

const pair = (overrides: Partial<PairMetrics> = {}): PairMetrics => ({
  valuesForwarded: 1200,
  valuesPerSecond: 10,
  failovers: 2,
  lastSwitchMs: 125,
  upstreamItems: { primary: 3, secondary: 3 },
  downstreamItems: 4,
  standbyBufferedValues: 90,
  clientQueuedValues: 1,
  ...overrides,
});
const metrics = (pairs: Record<string, PairMetrics>): EngineMetrics => ({
  time: "2026-11-30T08:00:00.000Z",
  engine: { rssBytes: 210_000_000, eventLoopLagMs: { p99: 4.5, max: 12 } },
  pairs,
});

describe("the Prometheus text", () => {
  it("gives each family its HELP and TYPE, counters as _total, per-pair samples labelled, seconds not ms", () => {
    const text = prometheusText(metrics({ Line4: pair(), 'Line "5"\\B': pair({ lastSwitchMs: undefined, failovers: 0 }) }));
    const lines = text.split("\n");
    assert.ok(text.endsWith("\n"));
    assert.ok(lines.includes("# TYPE redundancymaster_pair_values_forwarded_total counter"));
    assert.ok(lines.includes('redundancymaster_pair_values_forwarded_total{pair="Line4"} 1200'));
    assert.ok(lines.includes('redundancymaster_pair_failovers_total{pair="Line \\"5\\"\\\\B"} 0'), "quotes and backslashes escaped");
    assert.ok(lines.includes('redundancymaster_pair_last_switch_seconds{pair="Line4"} 0.125'));
    assert.equal(lines.filter((l) => l.startsWith("redundancymaster_pair_last_switch_seconds{")).length, 1, "no sample before a pair's first switch");
    assert.ok(lines.includes('redundancymaster_pair_upstream_items{pair="Line4",side="secondary"} 3'));
    assert.ok(lines.includes("redundancymaster_engine_resident_memory_bytes 210000000"));
    assert.ok(lines.includes("redundancymaster_engine_event_loop_lag_p99_seconds 0.0045"));
    for (const family of METRIC_FAMILIES) {
      assert.ok(lines.includes(`# HELP ${family.name} ${family.help}`), family.name);
      assert.equal(family.type === "counter", family.name.endsWith("_total"), `${family.name}: only counters end in _total`);
    }
    for (const line of lines.filter((l) => l && !l.startsWith("#"))) assert.match(line, /^[a-z0-9_]+(\{[a-z]+="(?:[^"\\]|\\.)*"(,[a-z]+="(?:[^"\\]|\\.)*")*\})? -?[\d.e+-]+$/, line);
  });

  it("README's metrics table lists every metric with its type and help", () => {
    const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
    const rows = new Map<string, string>();
    for (const m of readme.matchAll(/^\| `(redundancymaster_[a-z0-9_]+)(?:\{[^`]*\})?` \| (counter|gauge) \| (.*) \|$/gm)) rows.set(m[1], `${m[2]} ${m[3]}`);
    assert.deepEqual(
      [...rows.keys()],
      METRIC_FAMILIES.map((f) => f.name),
    );
    for (const family of METRIC_FAMILIES) assert.equal(rows.get(family.name), `${family.type} ${family.help}`, family.name);
  });
});

describe("a pair's figures in its tooltip", () => {
  it("shows the rate, the items on each side, the queues, the failovers and the engine's memory and lag", () => {
    const lines = pairFigureLines(pair({ valuesForwarded: 123_456, valuesPerSecond: 210.5, lastSwitchMs: 1.25 }), { rssBytes: 220 * 1_048_576, eventLoopLagMs: { p99: 3.4, max: 41 } });
    assert.deepEqual(lines, [
      "Values forwarded: 210.5/s (123,456 since the pair started)",
      "Items: 4 of clients · upstream 3 on the primary, 3 on the secondary",
      "Queued for clients: 1 value · 90 standby values held for a switch",
      "Failovers: 2 · last switch 1.3 ms",
      "Engine: 220 MB resident · event-loop lag p99 3.4 ms, max 41 ms",
    ]);
  });

  it("says nothing of a switch before the first, nor of a standby buffer outside hot mode", () => {
    const [, , queued, failovers] = pairFigureLines(pair({ failovers: 0, lastSwitchMs: undefined, standbyBufferedValues: 0 }), { rssBytes: 0, eventLoopLagMs: { p99: 0, max: 0 } });
    assert.deepEqual([queued, failovers], ["Queued for clients: 1 value", "Failovers: 0"]);
  });
});
