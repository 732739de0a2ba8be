import { AttributeIds, type OPCUAClient } from "node-opcua";
import type { ConnectionMode } from "../../../engine/src/config/model";
import type { Side } from "../../../engine/src/events/catalog";
import type { SimProcess } from "../../../engine/src/sim/simProcess";
import type { EngineRun } from "../../support/engineRun";
import type { BaselineClient } from "./baselineClient";
import { plainSession } from "./benchEngine";
import { subscribeLoad, type CounterSample } from "./loadSubscription";
import { switchFigures, type SwitchFigures } from "../../support/switchFigures";

export type Fault = "sigkill" | "sigstop" | "shutdown";

/** How long a graceful shutdown announces itself (SecondsTillShutdown) before the server closes. */
export const SHUTDOWN_S = 2;

export interface FaultRound {
  engine: EngineRun;
  pair: string;
  mode: ConnectionMode;
  sims: Record<Side, SimProcess>;
  /** The Counter at the client of the pair's endpoint. */
  ours: CounterSample[];
  /** The list-switching client on the same two servers, and the Counter it received. */
  baseline?: { client: BaselineClient; samples: CounterSample[] };
  /** Where the sessions this opens are kept, for the caller to close. */
  clients: OPCUAClient[];
}

export interface FaultSample {
  ours: SwitchFigures;
  /** Missing when the baseline was not on the failing server at the fault. */
  baseline?: SwitchFigures;
  /** Fault → the engine's promoted event for the standby. */
  detectionMs: number;
  /** Fault → the baseline's decision to leave the failing server (when it was on it). */
  baselineDetectionMs?: number;
  /** Source timestamp → arrival of the Counter in the second before the fault (median): the path's own latency. */
  steadyMs: { ours: number; baseline?: number };
}

function promotions(engine: EngineRun, pair: string) {
  return engine.lines.filter((l) => l.where.startsWith(`${pair}/`) && /^(Promoted|Forced failover)/.test(l.text));
}

/** The side the engine made active last, from its promoted (and failoverForced) events (undefined before the first). */
export function activeSide(engine: EngineRun, pair: string): Side | undefined {
  const last = promotions(engine, pair).at(-1);
  return last && (last.where.endsWith("/secondary") ? "secondary" : "primary");
}

/**
 * One fault on the pair's active server, measured at the clients, then the server restarted as
 * the new standby (and, in warm and hot mode, reconnected by the engine) for the next round.
 */
export async function faultRound(r: FaultRound, fault: Fault): Promise<FaultSample> {
  const failing = activeSide(r.engine, r.pair) ?? "primary";
  const standby: Side = failing === "primary" ? "secondary" : "primary";
  const base = r.baseline?.samples ?? [];
  // Both clients must be receiving before the fault, or the gap would include a start-up.
  const flowing = (list: CounterSample[]) => list.length > 0 && Date.now() - list.at(-1)!.at < 400;
  await until(() => flowing(r.ours) && (!r.baseline || flowing(base)), 30_000, "values at the clients before the fault");
  const truth: CounterSample[] = [];
  const direct = await plainSession(r.sims[standby].url, r.clients);
  await subscribeLoad(direct.session, direct.ns, 0, { counter: (s) => truth.push(s) });
  await standbyReady(r, standby);

  const faultAt = Date.now();
  const baselineOnFailing = !!r.baseline && r.baseline.client.url === r.sims[failing].url;
  let shutdown: Promise<void> | undefined;
  if (fault === "sigkill") r.sims[failing].signal("SIGKILL");
  else if (fault === "sigstop") r.sims[failing].signal("SIGSTOP");
  else shutdown = r.sims[failing].shutdown(SHUTDOWN_S);

  const fromStandby = (list: CounterSample[]) => () => switchFigures(list, truth, faultAt) !== undefined;
  await until(fromStandby(r.ours), 30_000, `a value from the ${standby} through the endpoint (${r.mode}, ${fault})`);
  if (baselineOnFailing) await until(fromStandby(base), 30_000, "").catch(() => undefined);
  // The failed server comes back (as the new standby for the next round) while values still on
  // their way (hot mode's replay, a late forwarding) arrive: they count as received.
  const connectedBefore = r.engine.matching(`${r.pair}/${failing}`, /^Connected/).length;
  const restarted = (async () => {
    void shutdown?.catch(() => undefined);
    await r.sims[failing].close();
    await r.sims[failing].restart();
  })();
  await sleep(1000);
  const promoted = r.engine.lines.find((l) => l.where === `${r.pair}/${standby}` && /^Promoted/.test(l.text) && l.at >= faultAt - 2);
  const sample: FaultSample = {
    ours: switchFigures(r.ours, truth, faultAt)!,
    baseline: baselineOnFailing ? switchFigures(base, truth, faultAt) : undefined,
    detectionMs: promoted ? promoted.at - faultAt : NaN,
    ...(baselineOnFailing ? { baselineDetectionMs: (r.baseline!.client.switchedAt.find((t) => t >= faultAt) ?? NaN) - faultAt } : {}),
    steadyMs: { ours: steadyLatency(r.ours, faultAt), ...(r.baseline ? { baseline: steadyLatency(base, faultAt) } : {}) },
  };
  await direct.client.disconnect().catch(() => undefined);
  await restarted;
  if (r.mode !== "cold") {
    await r.engine.waitFor(`${r.pair}/${failing}`, /^Connected/, 60_000, connectedBefore + 1);
    // Hot mode subscribes the standby's items after connecting: wait for that subscription on the
    // server (beside the one every side's session has for the server status), then give the
    // items' requests that follow it a moment.
    if (r.mode === "hot") await hasSubscriptions(r.sims[failing].url, 2, r.clients);
    await sleep(r.mode === "hot" ? 1000 : 300);
  }
  return sample;
}

/**
 * Waits until the engine has held the standby connected for a second (warm and hot; in hot mode
 * with its items subscribed again after a reconnect). A round measures one failure: a standby
 * the engine has just dropped itself (a status poll that timed out on this loaded machine, its
 * reconnect still under way) would make it a double one, whose values no mode can replay.
 */
async function standbyReady(r: FaultRound, standby: Side): Promise<void> {
  const where = `${r.pair}/${standby}`;
  const connections = () => r.engine.matching(where, /^Connected/).length;
  let subscribed = connections();
  for (;;) {
    if (r.mode !== "cold") await until(() => sideUp(r.engine, where), 60_000, `the ${standby} connected`);
    const now = connections();
    // A reconnected hot standby subscribes its items after connecting (a 1000-item request takes ~1 s here under load).
    if (r.mode === "hot" && now !== subscribed) await sleep(2000);
    subscribed = now;
    await sleep(1000);
    if (r.mode === "cold" || (sideUp(r.engine, where) && connections() === now)) return;
  }
}

/** Whether the side's last connection event is Connected (not lost, failed, shut down or dropped since). */
function sideUp(engine: EngineRun, where: string): boolean {
  const last = engine.lines.filter((l) => l.where === where && /^(Connected|Disconnected|Failed to connect|Lost the connection|Unable to retrieve status|Received shutdown)/.test(l.text)).at(-1);
  return !!last && /^Connected/.test(last.text);
}

/** Waits until the server holds `wanted` subscriptions (ServerDiagnosticsSummary.CurrentSubscriptionCount). */
async function hasSubscriptions(url: string, wanted: number, clients: OPCUAClient[]): Promise<void> {
  const { client, session } = await plainSession(url, clients);
  const count = async () => Number((await session.read({ nodeId: "i=2285", attributeId: AttributeIds.Value })).value.value);
  await until(async () => (await count()) >= wanted, 60_000, `${wanted} subscriptions on ${url}`);
  await client.disconnect().catch(() => undefined);
}

function steadyLatency(samples: readonly CounterSample[], faultAt: number): number {
  const window = samples
    .filter((s) => s.at > faultAt - 1000 && s.at <= faultAt)
    .map((s) => s.at - s.sourceTime)
    .sort((a, b) => a - b);
  return window[window.length >> 1] ?? NaN;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs / 1000} s`);
    await sleep(10);
  }
}
