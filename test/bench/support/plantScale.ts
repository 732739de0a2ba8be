// Plant-sized pairs (issue 17): one hot pair of 20,000 items at 1 Hz through its failovers, and
// five pairs of 20,000 items changing every 5 s in one engine.
import { AttributeIds, type OPCUAClient } from "node-opcua";
import type { Side } from "../../../engine/src/events/catalog";
import { Methods } from "../../../engine/src/control/protocol";
import { SimProcess } from "../../../engine/src/sim/simProcess";
import type { EngineRun } from "../../support/engineRun";
import { summarize, type BenchResult } from "../benchResult";
import { endpointSession, plainSession, startBenchEngine, stopBenchEngine, type BenchPair } from "./benchEngine";
import { itemName, PLANT_REQUEST, subscribeBulk, watchRounds, type BulkFlow } from "./bulkFlow";
import { activeSide, faultRound, sleep, until } from "./faultRound";
import { subscribeLoad, type CounterSample } from "./loadSubscription";
import { cpuMs, loadAverage, peakRssMbOver } from "./procStats";

// Ports 23370–23389 belong to these figures (scale.bench.ts's others are 23320–23369).
const BIG = { primary: 23370, secondary: 23371, endpoint: 23372 };
const FIVE = { primary: 23373, secondary: 23374, firstEndpoint: 23375 };
// Relaxed, as in the proxy bench: sims of 20,000 items on a loaded 2-core machine answered a status
// read in more than 1.5 s now and then, and the pair flapped between its sides without end.
const STATUS = { statusIntervalMs: 5000, statusTimeoutMs: 4000 };
// How long five pairs' clients may take to get most of a round before the window is measured anyway.
const SETTLE_MS = 90_000;
const REQUEST = `client request: sampling ${PLANT_REQUEST.samplingInterval} ms, queue ${PLANT_REQUEST.queueSize}, publishing ${PLANT_REQUEST.publishingInterval} ms`;

/** `scale.20k_items_1hz.*`: one hot pair, a client subscribed to every item, then 1 SIGKILL failover and 49 forced ones. */
export async function twentyThousandAt1Hz(dir: string): Promise<BenchResult[]> {
  const items = 20_000;
  const label = "scale.20k_items_1hz";
  const sims: Record<Side, SimProcess> = {
    primary: await SimProcess.start({ port: BIG.primary, identity: "primary", items, rateHz: 1 }),
    secondary: await SimProcess.start({ port: BIG.secondary, identity: "secondary", items, rateHz: 1 }),
  };
  const clients: OPCUAClient[] = [];
  const pair: BenchPair = { name: "bench.plant", endpointPort: BIG.endpoint, primaryUrl: sims.primary.url, secondaryUrl: sims.secondary.url };
  const engine = await startBenchEngine(dir, [pair], { mode: "hot", ...STATUS, control: true });
  try {
    const startedAt = Date.now();
    await until(() => activeSide(engine, pair.name) !== undefined, 120_000, "a side promoted");
    const endpoint = await mirrored(`opc.tcp://127.0.0.1:${BIG.endpoint}`, itemName(items - 1), clients);
    const readyS = (Date.now() - startedAt) / 1000;
    const idle = await peakRssMbOver(engine.pid!, 5000);

    const counter: CounterSample[] = [];
    await subscribeLoad(endpoint.session, endpoint.ns, 0, { counter: (c) => counter.push(c) });
    const subscribedAt = Date.now();
    const flow = await subscribeBulk(endpoint.session, endpoint.ns, items);
    const rounds = await sideRounds(sims, clients);
    // Of a round of the last 10 s, late values included: at this size values may reach the client seconds after their round.
    const mostOfARound = () => rounds[activeSide(engine, pair.name)!].slice(-12, -2).some((round) => flow.deliveredOf(new Set([round])) >= items * 0.5);
    await until(mostOfARound, 300_000, "values of most items at the client");
    const subscribeS = (Date.now() - subscribedAt) / 1000;
    const steady = await steadyWindow(engine, [{ pair: pair.name, flow, items }], rounds, 20);

    const kill = await faultRound({ engine, pair: pair.name, mode: "hot", sims, ours: counter, clients }, "sigkill");
    const afterOne = await peakRssMbOver(engine.pid!, 5000);
    const forcedStarted = Date.now();
    for (let i = 1; i < 50; i++) await forcedFailover(engine, pair.name);
    const forcedS = (Date.now() - forcedStarted) / 1000;
    const afterFifty = await peakRssMbOver(engine.pid!, 5000);
    // The killed sim's direct watcher went with it: the restarted one is watched anew.
    const after = await steadyWindow(engine, [{ pair: pair.name, flow, items }], await sideRounds(sims, clients), 10);

    const note = `one hot pair, ${items} items at 1 Hz + Counter at 10 Hz on two sims, ${REQUEST}, status ${STATUS.statusIntervalMs}+${STATUS.statusTimeoutMs} ms, load average ${steady.load}`;
    return [
      summarize(
        `${label}.delivered_ratio`,
        [steady.ratio],
        "of produced",
        undefined,
        `values a client of the endpoint received (each item and round once, late ones included) / values the active sim produced, over ${steady.windowS} s steady (NaN: the pair switched sides in the window — ${steady.switched}); goal ≥ 0.99; ${note}`,
      ),
      summarize(
        `${label}.delivered_ratio_after_50_failovers`,
        [after.ratio],
        "of produced",
        undefined,
        `as delivered_ratio, over ${after.windowS} s once the 50 failovers are over (switched in the window: ${after.switched}); ${note}`,
      ),
      summarize(
        `${label}.engine_rss_idle_mb`,
        [idle],
        "MB",
        undefined,
        `the engine's peak RSS over 5 s with its endpoint serving the mirror of both sims, before any client subscribed (ready ${readyS.toFixed(1)} s after start); ${note}`,
      ),
      summarize(
        `${label}.engine_rss_steady_mb`,
        [steady.rssMb],
        "MB",
        [idle],
        `peak over the steady window, every item subscribed (in ${subscribeS.toFixed(1)} s); baseline: idle; goal ≤ 400 MB; ${note}`,
      ),
      summarize(
        `${label}.engine_rss_after_1_failover_mb`,
        [afterOne],
        "MB",
        [steady.rssMb],
        `peak over the 5 s after a hot SIGKILL failover (the killed sim restarted as the standby); baseline: steady; goal ≤ 1.1 × steady; ${note}`,
      ),
      summarize(
        `${label}.engine_rss_after_50_failovers_mb`,
        [afterFifty],
        "MB",
        [afterOne],
        `peak over the 5 s after 49 more failovers forced through the control channel (pair/forceFailover, ${forcedS.toFixed(0)} s: a SIGKILL round with 20,000 items takes a sim restart and 20,000 items subscribed again each time); baseline: after 1; goal within 1.1 ×; ${note}`,
      ),
      summarize(`${label}.engine_cpu_percent`, [steady.cpuPercent], "% of a core", undefined, `the engine process over the steady window; ${note}`),
      summarize(
        `${label}.hot_sigkill.gap_ms`,
        [kill.ours.gapMs],
        "ms",
        undefined,
        `SIGKILL of the active sim → the first standby Counter value at the client (raw ${kill.ours.rawGapMs} ms; SIGKILL → the engine's promoted event ${kill.detectionMs} ms; the Counter's median source → client latency in the second before the kill ${kill.steadyMs.ours} ms); goal ≤ 200 ms; ${note}`,
      ),
      summarize(`${label}.hot_sigkill.lost_values`, [kill.ours.lost], "values", undefined, `Counter values lost in that SIGKILL failover; goal 0; ${note}`),
    ];
  } finally {
    await Promise.all(clients.map((c) => c.disconnect().catch(() => undefined)));
    await stopBenchEngine(engine);
    await Promise.all([sims.primary.close(), sims.secondary.close()]);
  }
}

/**
 * `scale.5x20k_items.*`: five warm pairs of 20,000 items each changing every 5 s (20,000 values/s
 * in all) in one engine. Five pairs share two sims (ten sim processes and the engine would not fit
 * on 2 cores), warm so that only the active sim carries a pair's upstream items. The clients
 * subscribe one pair after another; the window is measured once every client gets most of a round,
 * or SETTLE_MS after the last subscription if they never do: a machine that cannot carry the load
 * gives its figures too, and the notes say where the CPU went.
 */
export async function fivePairsOf20k(dir: string): Promise<BenchResult[]> {
  const items = 20_000;
  const label = "scale.5x20k_items";
  const sims: Record<Side, SimProcess> = {
    primary: await SimProcess.start({ port: FIVE.primary, identity: "primary", items, rateHz: 0.2 }),
    secondary: await SimProcess.start({ port: FIVE.secondary, identity: "secondary", items, rateHz: 0.2 }),
  };
  const clients: OPCUAClient[] = [];
  const pairs: BenchPair[] = Array.from({ length: 5 }, (_, i) => ({
    name: `bench.plant.${i}`,
    endpointPort: FIVE.firstEndpoint + i,
    primaryUrl: sims.primary.url,
    secondaryUrl: sims.secondary.url,
  }));
  const engine = await startBenchEngine(dir, pairs, { mode: "warm", ...STATUS });
  try {
    const startedAt = Date.now();
    await until(() => pairs.every((p) => activeSide(engine, p.name) !== undefined), 180_000, "every pair promoting a side");
    const flows: { pair: string; flow: BulkFlow; items: number }[] = [];
    for (const p of pairs) {
      const endpoint = await mirrored(`opc.tcp://127.0.0.1:${p.endpointPort}`, itemName(items - 1), clients);
      flows.push({ pair: p.name, flow: await subscribeBulk(endpoint.session, endpoint.ns, items), items });
    }
    const subscribedS = (Date.now() - startedAt) / 1000;
    const rounds = await sideRounds(sims, clients);
    const settled = await until(
      () => flows.every((f) => f.flow.deliveredOf(new Set(rounds[activeSide(engine, f.pair)!].slice(-2, -1))) >= items * 0.5),
      SETTLE_MS,
      "values of most items at every client",
    ).then(
      () => "every client got most of a round",
      () => `not every client got most of a round within ${SETTLE_MS / 1000} s`,
    );
    for (const f of flows) f.flow.recordAges();
    const steady = await steadyWindow(engine, flows, rounds, 30, [sims.primary.pid!, sims.secondary.pid!]);
    const ages = flows.flatMap((f) => f.flow.ages()).sort((a, b) => a - b);
    const carried = steady.ratios.filter((r) => !Number.isNaN(r));
    const note = `5 warm pairs × ${items} items changing every 5 s (20,000 values/s in all) on two shared sims (one process each, beside the engine and this process with the clients; over the window the sims took ${steady.othersCpuPercent.map((c) => c.toFixed(0)).join(" % and ")} % of a core and produced ${steady.producedRounds} of ${steady.windowS / 5} rounds due), a client per endpoint subscribed ${subscribedS.toFixed(0)} s after the engine's start, ${settled}, ${REQUEST}, load average ${steady.load}`;
    return [
      summarize(
        `${label}.delivered_ratio`,
        carried.length ? [Math.min(...carried)] : [NaN],
        "of produced",
        undefined,
        `the lowest pair's values its client received / values its active sim produced over ${steady.windowS} s (per pair: ${steady.ratios.map((r) => r.toFixed(2)).join(", ")}; NaN: the pair switched sides in the window, ${steady.switched} did); goal ≥ 0.99; ${note}`,
      ),
      summarize(
        `${label}.value_age_ms`,
        ages.length ? [ages[ages.length >> 1]] : [NaN],
        "ms",
        undefined,
        `median time from a value's source timestamp to its arrival at its client, of the values received in the window and its grace (${ages.length}; highest ${ages.at(-1) ?? NaN} ms): how far behind the clients ran; ${note}`,
      ),
      summarize(`${label}.engine_rss_mb`, [steady.rssMb], "MB", undefined, `the engine process's peak over the steady window; goal ≤ 1.5 GB; ${note}`),
      summarize(`${label}.engine_cpu_percent`, [steady.cpuPercent], "% of a core", undefined, `the engine process over the steady window; goal ≤ 100 %; ${note}`),
    ];
  } finally {
    await Promise.all(clients.map((c) => c.disconnect().catch(() => undefined)));
    await stopBenchEngine(engine);
    await Promise.all([sims.primary.close(), sims.secondary.close()]);
  }
}

/** A session on the endpoint once it serves `lastNode` (the mirror holds the sims' items). */
async function mirrored(url: string, lastNode: string, clients: OPCUAClient[]) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const target = await endpointSession(url, clients, 180_000);
    const dv = await target.session.read({ nodeId: `ns=${target.ns};s=${lastNode}`, attributeId: AttributeIds.Value });
    if (dv.statusCode.isGood()) return target;
    await target.session.close();
    if (Date.now() > deadline) throw new Error(`the endpoint ${url} did not serve ${lastNode} within 180 s`);
    await sleep(500);
  }
}

/** Each sim's rounds of bulk values as a direct client sees them. */
async function sideRounds(sims: Record<Side, SimProcess>, clients: OPCUAClient[]): Promise<Record<Side, number[]>> {
  const out = {} as Record<Side, number[]>;
  for (const side of ["primary", "secondary"] as const) {
    const direct = await plainSession(sims[side].url, clients);
    out[side] = await watchRounds(direct.session, direct.ns);
  }
  return out;
}

interface Steady {
  ratio: number;
  ratios: number[];
  /** How many pairs switched sides during the window (their ratio is NaN: the sims' rounds differ), and the engine's warnings about them. */
  switched: string;
  /** Rounds the first pair's active sim produced in the window (one due every 1 / rate s). */
  producedRounds: number;
  rssMb: number;
  cpuPercent: number;
  /** The same for each of the other processes steadyWindow was asked to watch. */
  othersCpuPercent: number[];
  windowS: number;
  load: number;
}

/**
 * The rounds the active sims produce over windowS seconds (no pair switching meanwhile), and how
 * many of their values the clients received, late ones included (3 s of grace after the window).
 */
async function steadyWindow(engine: EngineRun, flows: { pair: string; flow: BulkFlow; items: number }[], rounds: Record<Side, number[]>, windowS: number, others: number[] = []): Promise<Steady> {
  const sides = flows.map((f) => activeSide(engine, f.pair)!);
  const from = Date.now();
  const cpuBefore = [engine.pid!, ...others].map(cpuMs);
  const rss = await peakRssMbOver(engine.pid!, windowS * 1000);
  const to = Date.now();
  const [cpuPercent, ...othersCpuPercent] = [engine.pid!, ...others].map((pid, i) => ((cpuMs(pid) - cpuBefore[i]) / (to - from)) * 100);
  const load = loadAverage();
  await sleep(3000);
  const ratios = flows.map((f, i) => {
    // A pair that switched sides meanwhile (a status poll timed out under load) is no steady figure.
    if (activeSide(engine, f.pair) !== sides[i]) return NaN;
    const produced = new Set(rounds[sides[i]].filter((at) => at >= from && at < to));
    return produced.size ? f.flow.deliveredOf(produced) / (produced.size * f.items) : NaN;
  });
  const switchedPairs = flows.filter((f, i) => activeSide(engine, f.pair) !== sides[i]).map((f) => f.pair);
  // What the engine said of those pairs in the window, so that the note says why they switched.
  const why = engine.lines.filter((l) => l.at >= from && switchedPairs.some((p) => l.where.startsWith(`${p}/`)) && l.severity !== "information").map((l) => `[${l.where}] ${l.text}`);
  const switched = switchedPairs.length ? `${switchedPairs.length} (${why.slice(0, 3).join("; ") || "no warning"})` : "0";
  const producedRounds = rounds[sides[0]].filter((at) => at >= from && at < to).length;
  return { ratio: Math.min(...ratios), ratios, switched, producedRounds, rssMb: rss, cpuPercent, othersCpuPercent, windowS, load };
}

/** An operator's failover through the control channel, done once the engine posts it. */
async function forcedFailover(engine: EngineRun, pair: string): Promise<void> {
  const before = activeSide(engine, pair);
  await engine.control!.sendRequest(Methods.forceFailover, { pair });
  await until(() => activeSide(engine, pair) !== before, 30_000, "the forced failover's event");
  await sleep(500);
}
