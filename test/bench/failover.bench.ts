// The failover gap as a client feels it: two simulated servers with the Counter and N bulk items
// at 10 Hz, the engine in a process of its own, one client subscribed through the pair's endpoint
// and, against the same two servers at the same moment, the baseline (a plain client that switches
// to the next server of its list). Each fault hits the active server once for both; the figures
// are ours against the baseline's from the same faults.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OPCUAClient } from "node-opcua";
import type { ConnectionMode } from "../../engine/src/config/model";
import type { Side } from "../../engine/src/events/catalog";
import { SimProcess } from "../../engine/src/sim/simProcess";
import { ensureEngineBuilt } from "../support/engineCli";
import { summarize, type BenchOptions, type BenchResult } from "./benchResult";
import { BaselineClient } from "./support/baselineClient";
import { endpointSession, startBenchEngine, stopBenchEngine } from "./support/benchEngine";
import { activeSide, faultRound, SHUTDOWN_S, until, type Fault, type FaultSample } from "./support/faultRound";
import { subscribeLoad, type CounterSample } from "./support/loadSubscription";
import { loadAverage } from "./support/procStats";

// Ports 23300–23302 belong to this benchmark.
const PORTS = { primary: 23300, secondary: 23301, endpoint: 23302 };
const PAIR = "bench.failover";
/** The status poll: detection of a hang is due within interval + timeout. */
// 1000 + 500 rather than tighter: on the loaded 2-core machine these run on, a 250 ms timeout
// fails healthy servers now and then, and a spurious failover would spoil the samples.
const STATUS = { statusIntervalMs: 1000, statusTimeoutMs: 500 };

export async function run({ quick }: BenchOptions): Promise<BenchResult[]> {
  await ensureEngineBuilt();
  const items = quick ? 200 : 1000;
  // Hot mode promises no loss on a crash or a hang in every round: those are measured 20 times (max reported).
  const reps = (mode: ConnectionMode, fault: Fault) => (quick ? 2 : mode === "hot" && fault !== "shutdown" ? 20 : 5);
  const modes: ConnectionMode[] = quick ? ["hot", "warm"] : ["cold", "warm", "hot"];
  const faults: Fault[] = quick ? ["sigkill"] : ["sigkill", "sigstop", "shutdown"];
  const dir = await mkdtemp(join(tmpdir(), "rm-failover-bench-"));
  const sims: Record<Side, SimProcess> = {
    primary: await SimProcess.start({ port: PORTS.primary, identity: "primary", items, rateHz: 10 }),
    secondary: await SimProcess.start({ port: PORTS.secondary, identity: "secondary", items, rateHz: 10 }),
  };
  const results: BenchResult[] = [];
  try {
    for (const mode of modes) {
      const load = loadAverage();
      const samples = await runMode(dir, sims, mode, faults, reps, items);
      for (const fault of faults) results.push(...figures(mode, fault, samples.get(fault)!, items, load));
    }
    return results;
  } finally {
    await Promise.all([sims.primary.close(), sims.secondary.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}

/** One engine in `mode`; every fault `reps` times, each time on the side active then. */
async function runMode(
  dir: string,
  sims: Record<Side, SimProcess>,
  mode: ConnectionMode,
  faults: Fault[],
  reps: (mode: ConnectionMode, fault: Fault) => number,
  items: number,
): Promise<Map<Fault, FaultSample[]>> {
  const clients: OPCUAClient[] = [];
  const engine = await startBenchEngine(dir, [{ name: PAIR, endpointPort: PORTS.endpoint, primaryUrl: sims.primary.url, secondaryUrl: sims.secondary.url }], { mode, ...STATUS });
  let baseline: BaselineClient | undefined;
  try {
    await until(() => activeSide(engine, PAIR) !== undefined, 60_000, "a side promoted");
    const first = activeSide(engine, PAIR)!;
    const other: Side = first === "primary" ? "secondary" : "primary";
    const ours: CounterSample[] = [];
    const base: CounterSample[] = [];
    const endpoint = await endpointSession(`opc.tcp://127.0.0.1:${PORTS.endpoint}`, clients);
    await subscribeLoad(endpoint.session, endpoint.ns, items, { counter: (s) => ours.push(s) });
    baseline = new BaselineClient({
      urls: [sims[first].url, sims[other].url],
      items,
      pkiDir: join(tmpdir(), "redundancymaster-bench-pki", "baseline"),
      silenceTimeoutMs: STATUS.statusIntervalMs + STATUS.statusTimeoutMs,
      handlers: { counter: (s) => base.push(s) },
    });
    await baseline.start();
    const out = new Map<Fault, FaultSample[]>();
    const round = { engine, pair: PAIR, mode, sims, ours, baseline: { client: baseline, samples: base }, clients };
    for (const fault of faults) {
      const samples: FaultSample[] = [];
      for (let rep = 0; rep < reps(mode, fault); rep++) samples.push(await faultRound(round, fault));
      out.set(fault, samples);
    }
    return out;
  } finally {
    await baseline?.close();
    await Promise.all(clients.map((c) => c.disconnect().catch(() => undefined)));
    await stopBenchEngine(engine);
  }
}

function figures(mode: ConnectionMode, fault: Fault, samples: FaultSample[], items: number, load: number): BenchResult[] {
  const name = `failover.${mode}.${fault}`;
  const measured = samples.filter((s) => s.baseline);
  const baseGaps = measured.map((s) => s.baseline!.gapMs);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const steady = `steady-state latency source → client median ${median(samples.map((s) => s.steadyMs.ours))} ms (baseline ${median(samples.map((s) => s.steadyMs.baseline ?? NaN))} ms)`;
  const setting = `${steady}; ${items} items + Counter at 10 Hz, status ${STATUS.statusIntervalMs}+${STATUS.statusTimeoutMs} ms, load average ${load}`;
  const baseNote = `baseline: a node-opcua client switching to the next server of its list (socket silence ${STATUS.statusIntervalMs + STATUS.statusTimeoutMs} ms, ServerState watched), the same faults (${measured.length} of ${samples.length})`;
  const out: BenchResult[] = [
    summarize(
      `${name}.gap_ms`,
      samples.map((s) => s.ours.gapMs),
      "ms",
      baseGaps.length ? baseGaps : undefined,
      `fault (or the standby's next tick) → first standby value at a client of the endpoint; raw fault → value median ${median(samples.map((s) => s.ours.rawGapMs))} ms (baseline ${baseGaps.length ? median(measured.map((s) => s.baseline!.rawGapMs)) : "-"}); ${setting}; ${baseNote}`,
    ),
    summarize(
      `${name}.lost_values`,
      samples.map((s) => s.ours.lost),
      "values",
      measured.length ? measured.map((s) => s.baseline!.lost) : undefined,
      `Counter values the standby produced after the last value the failing side delivered that never reached the client (max over the rounds is the promise); ${baseNote}`,
    ),
  ];
  if (fault === "sigstop") {
    const budget = STATUS.statusIntervalMs + STATUS.statusTimeoutMs;
    // A round whose promoted event was not found (the engine had switched before the fault) has no detection time.
    const detected = samples.map((s) => s.detectionMs).filter(Number.isFinite);
    out.push(
      summarize(
        `${name}.detection_ms`,
        detected.length ? detected : [NaN],
        "ms",
        [budget],
        `SIGSTOP → the engine's promoted event; baseline: statusIntervalMs + statusTimeoutMs configured${mode === "cold" ? " (cold: includes connecting to the standby)" : ""}`,
      ),
    );
  }
  if (fault === "shutdown") {
    const detected = samples.map((s) => s.detectionMs).filter(Number.isFinite);
    const baseDetected = measured.map((s) => s.baselineDetectionMs!).filter(Number.isFinite);
    out.push(
      summarize(
        `${name}.detection_ms`,
        detected.length ? detected : [NaN],
        "ms",
        baseDetected.length ? baseDetected : undefined,
        `shutdown announced (SecondsTillShutdown ${SHUTDOWN_S} s) → the engine's promoted event; baseline: the list-switching client's decision to leave, from ServerState in its subscription${mode === "cold" ? " (cold: includes connecting to the standby)" : ""}`,
      ),
    );
  }
  return out;
}
