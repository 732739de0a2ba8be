import type { PairStatus, SideState } from "../control/protocol";
import type { Side, SideEventKind } from "../events/catalog";
import type { ModePolicy } from "./modes/failoverMode";
import type { Step } from "./modes/modeRules";

/**
 * The pair's decisions, pure: which side is active, when to connect where, which events to post.
 * Everything with a network or a clock (sessions, timers, subscriptions) lives in pair.ts, which
 * feeds inputs here and carries out the effects. Events are posted only on transitions, as the
 * first seed's Runtime Diagnostics chapter says.
 */

export type LinkState = "idle" | "waiting" | "connecting" | "connected";
export type MonitorTest = "unknown" | "passed" | "error";

export interface SideModel {
  link: LinkState;
  /** The server announced its shutdown or left Running. */
  shutdown: boolean;
  monitor: MonitorTest;
  /** The monitor result last posted (monitorTestPassed/Failed), so a reconnect does not repeat it. */
  monitorPosted: MonitorTest;
  /** Consecutive failed connection attempts (backoff). */
  failures: number;
  /** A failure was posted since the last successful connect: further ones are retries, not news. */
  failing: boolean;
  /** At least one connection attempt has finished (the primary gets the first chance at start). */
  attempted: boolean;
}

export interface PairModel {
  policy: ModePolicy;
  alwaysReconnectToPrimary: boolean;
  hasMonitorItems: boolean;
  running: boolean;
  active: Side | null;
  primary: SideModel;
  secondary: SideModel;
  /** Cold mode: a connection to the other side is wanted while the active one is still up. */
  switchWanted: "forced" | "degraded" | null;
  /** Cold mode: consecutive failed attempts of the ping-pong between the sides. */
  pingPongFailures: number;
  /** Failback paused after an operator forced the switch away from the primary, until the primary reconnects. */
  failbackHeld: boolean;
  /** Flap damping of failback (0: off): how long a primary that flaps must stay healthy before it is failed back to, at first. */
  failbackHoldDownMs: number;
  /** The hold-down that applies when the primary is healthy again (0: none, it has not flapped), doubling while it flaps. */
  holdDownMs: number;
  /** The primary came back after a loss and has not yet stayed healthy for holdDownMs + failbackHoldDownMs: a new loss is a flap. */
  primaryProbation: boolean;
  /** Failback waits for the hold-down timer: the primary is healthy but has flapped. */
  holdingFailback: boolean;
}

/** The damping's timers, kept by pair.ts: each one started anew replaces the one of its name. */
export type PairTimer = "failbackHoldDown" | "primaryProven";

/** The hold-down doubles with each flap up to this many times failbackHoldDownMs. */
export const HOLD_DOWN_MAX_FACTOR = 16;

export type PairInput =
  | { type: "start" }
  | { type: "stop" }
  | { type: "connected"; side: Side }
  | { type: "connectFailed"; side: Side; detail: string }
  | { type: "lost"; side: Side; reason: "connectionLost" | "statusLost"; detail: string }
  | { type: "serverStatus"; side: Side; running: boolean }
  | { type: "monitorTest"; side: Side; passed: boolean }
  | { type: "forceFailover" }
  | { type: "timerElapsed"; timer: PairTimer };

export type PairEffect =
  | { type: "connect"; side: Side; delayMs: number }
  | { type: "disconnect"; side: Side }
  | { type: "activate"; side: Side | null }
  | { type: "post"; kind: SideEventKind; side: Side; detail?: string }
  | { type: "startTimer"; timer: PairTimer; delayMs: number }
  | { type: "cancelTimer"; timer: PairTimer };

export interface Transition {
  model: PairModel;
  effects: PairEffect[];
}

export const RECONNECT_BASE_MS = 250;
export const RECONNECT_MAX_MS = 4000;

/** Delay before the next attempt after `failures` consecutive failures: 250 ms, doubling up to 4 s. */
export function backoff(failures: number): number {
  return Math.min(RECONNECT_BASE_MS * 2 ** Math.max(failures - 1, 0), RECONNECT_MAX_MS);
}

export const otherSide = (side: Side): Side => (side === "primary" ? "secondary" : "primary");

function newSide(): SideModel {
  return { link: "idle", shutdown: false, monitor: "unknown", monitorPosted: "unknown", failures: 0, failing: false, attempted: false };
}

export function initialModel(policy: ModePolicy, alwaysReconnectToPrimary: boolean, hasMonitorItems: boolean, failbackHoldDownMs = 0): PairModel {
  return {
    policy,
    alwaysReconnectToPrimary,
    hasMonitorItems,
    running: false,
    active: null,
    primary: newSide(),
    secondary: newSide(),
    switchWanted: null,
    pingPongFailures: 0,
    failbackHeld: false,
    failbackHoldDownMs,
    holdDownMs: 0,
    primaryProbation: false,
    holdingFailback: false,
  };
}

/** Connected, running and not failing its monitor test: a side data may come from. */
export function canServe(s: SideModel): boolean {
  return s.link === "connected" && !s.shutdown && s.monitor !== "error";
}

/** Good enough to fail back to: it can serve and, when monitor items exist, their test passed. */
export function fitForFailback(model: PairModel, s: SideModel): boolean {
  return canServe(s) && (!model.hasMonitorItems || s.monitor === "passed");
}

export function sideState(s: SideModel): SideState {
  if (s.link !== "connected") return "Disconnected";
  return canServe(s) ? "Running" : "Stopped";
}

/**
 * A side on its way back (DESIGN.md's Recovering): it lost its session and the first attempt to
 * reconnect is under way, or it is connected again and its monitor test, which a failback waits
 * for, has not reported yet. A side whose reconnects keep failing is not recovering: it is not
 * available, however long the engine keeps trying.
 */
function recovering(model: PairModel, s: SideModel): boolean {
  const reconnecting = s.failing && s.failures === 0 && (s.link === "waiting" || s.link === "connecting");
  const testing = s.link === "connected" && model.hasMonitorItems && s.monitor === "unknown";
  return model.running && (reconnecting || testing);
}

/** The second seed's pair status. Cold mode keeps the inactive side unconnected: it counts as available unless its last attempt failed. */
export function pairStatus(model: PairModel): PairStatus {
  const available = (side: Side) => {
    const s = model[side];
    if (model.policy.bothSidesConnected || side === model.active || s.link === "connected") return canServe(s);
    return !s.failing && model.active !== null;
  };
  const primary = available("primary");
  const secondary = available("secondary");
  if (recovering(model, model.primary) || recovering(model, model.secondary)) return "Recovering";
  if (primary && secondary) return "Paired and Available";
  if (primary) return "Secondary not available";
  if (secondary) return "Primary not available";
  return "Pair not available";
}

/** The one transition function. */
export function transition(previous: PairModel, input: PairInput): Transition {
  const model: PairModel = { ...previous, primary: { ...previous.primary }, secondary: { ...previous.secondary } };
  const effects: PairEffect[] = [];
  const post = (kind: SideEventKind, side: Side, detail?: string) => postEvent(effects, kind, side, detail);
  const connect = (side: Side, delayMs: number) => connectSide(model, effects, side, delayMs);
  const step: Step = { model, effects, connect, post };
  const rules = model.policy.rules;

  if (!model.running && input.type !== "start") return { model: previous, effects: [] };

  switch (input.type) {
    case "start": {
      if (model.running) return { model: previous, effects: [] };
      model.running = true;
      rules.started(step);
      break;
    }
    case "stop": {
      for (const side of ["primary", "secondary"] as const) {
        const s = model[side];
        if (s.link === "connected") post("disconnected", side);
        if (s.link !== "idle") effects.push({ type: "disconnect", side });
        s.link = "idle";
      }
      if (model.active) effects.push({ type: "activate", side: null });
      model.active = null;
      model.running = false;
      model.switchWanted = null;
      model.holdingFailback = false;
      effects.push({ type: "cancelTimer", timer: "failbackHoldDown" }, { type: "cancelTimer", timer: "primaryProven" });
      return { model, effects };
    }
    case "connected": {
      const s = model[input.side];
      s.link = "connected";
      s.failures = 0;
      s.failing = false;
      s.shutdown = false;
      s.monitor = "unknown";
      s.attempted = true;
      if (input.side === "primary") model.failbackHeld = false;
      post("connected", input.side);
      rules.connected(step, input.side);
      break;
    }
    case "connectFailed": {
      const s = model[input.side];
      s.attempted = true;
      s.failures += 1;
      if (!s.failing) post("connectFailed", input.side, input.detail);
      s.failing = true;
      rules.connectFailed(step, input.side);
      break;
    }
    case "lost": {
      const s = model[input.side];
      if (s.link !== "connected") break;
      if (input.reason === "statusLost") {
        if (!s.failing) post("statusLost", input.side, input.detail);
      } else if (!s.failing && !s.shutdown) {
        post("connectionLost", input.side, input.detail);
      }
      s.failing = true;
      s.link = "idle";
      s.monitor = "unknown";
      effects.push({ type: "disconnect", side: input.side });
      const wasActive = model.active === input.side;
      if (wasActive) {
        model.active = null;
        effects.push({ type: "activate", side: null });
      }
      rules.lost(step, input.side, wasActive);
      break;
    }
    case "serverStatus": {
      const s = model[input.side];
      if (s.link !== "connected") break;
      if (!input.running && !s.shutdown) {
        s.shutdown = true;
        post("shutdownReceived", input.side);
      } else if (input.running && s.shutdown) {
        s.shutdown = false;
      }
      break;
    }
    case "monitorTest": {
      const s = model[input.side];
      if (s.link !== "connected") break;
      s.monitor = input.passed ? "passed" : "error";
      if (s.monitor !== s.monitorPosted) post(input.passed ? "monitorTestPassed" : "monitorTestFailed", input.side);
      s.monitorPosted = s.monitor;
      break;
    }
    case "forceFailover": {
      const from = model.active;
      if (!from) break;
      if (rules.forceFailover(step, from, otherSide(from))) return { model, effects };
      break;
    }
    case "timerElapsed": {
      if (input.timer === "failbackHoldDown") {
        model.holdingFailback = false;
      } else {
        // The primary stayed healthy through its probation: it no longer counts as flapping.
        model.primaryProbation = false;
        model.holdDownMs = 0;
      }
      break;
    }
  }
  if (dampsFailback(model)) dampFailback(previous, model, effects);
  rules.decide(step);
  // An input that changed nothing (most status polls) gives back the same model: the pair tells no one.
  return { model: effects.length === 0 && sameModel(previous, model) ? previous : model, effects };
}

function sameModel(a: PairModel, b: PairModel): boolean {
  const same = <T extends object>(x: T, y: T) => (Object.keys(x) as (keyof T)[]).every((key) => x[key] === y[key]);
  return same({ ...a, primary: null, secondary: null }, { ...b, primary: null, secondary: null }) && same(a.primary, b.primary) && same(a.secondary, b.secondary);
}

function dampsFailback(model: PairModel): boolean {
  return model.alwaysReconnectToPrimary && model.policy.bothSidesConnected && model.failbackHoldDownMs > 0;
}

/**
 * Flap damping (as network gear damps a flapping route): the primary's first loss changes nothing,
 * it is failed back to as soon as it is healthy again. Lost again before it has stayed healthy for
 * its probation, it is flapping: the next failback waits until it has been healthy for the
 * hold-down, which starts at failbackHoldDownMs and doubles with each further flap. A probation
 * passed (hold-down + failbackHoldDownMs of health) forgets the flapping.
 */
function dampFailback(previous: PairModel, model: PairModel, effects: PairEffect[]): void {
  const was = fitForFailback(previous, previous.primary);
  const now = fitForFailback(model, model.primary);
  if (was && !now) {
    if (model.primaryProbation) {
      model.holdDownMs = Math.min(model.holdDownMs ? 2 * model.holdDownMs : model.failbackHoldDownMs, HOLD_DOWN_MAX_FACTOR * model.failbackHoldDownMs);
    }
    model.primaryProbation = true;
    model.holdingFailback = false;
    effects.push({ type: "cancelTimer", timer: "failbackHoldDown" }, { type: "cancelTimer", timer: "primaryProven" });
  } else if (!was && now && model.primaryProbation) {
    effects.push({ type: "startTimer", timer: "primaryProven", delayMs: model.holdDownMs + model.failbackHoldDownMs });
    if (model.holdDownMs > 0) {
      model.holdingFailback = true;
      effects.push({ type: "startTimer", timer: "failbackHoldDown", delayMs: model.holdDownMs });
      postEvent(effects, "failbackHeldDown", "primary", `${model.holdDownMs / 1000} s`);
    }
  }
}

/** An operator's forced switch is posted as such (failoverForced), never like a failure's promotion. */
export function promote(model: PairModel, side: Side, effects: PairEffect[], kind: "promoted" | "failoverForced" = "promoted"): void {
  model.active = side;
  effects.push({ type: "activate", side });
  postEvent(effects, kind, side);
}

/**
 * With no side active: the primary when it can serve (unless a flapping primary's failback is held
 * and the secondary can serve), else the secondary when it can and `secondaryMayGoFirst`.
 */
export function promoteFirstSide(model: PairModel, effects: PairEffect[], secondaryMayGoFirst: boolean): void {
  if (canServe(model.primary) && !(model.holdingFailback && canServe(model.secondary))) promote(model, "primary", effects);
  else if (canServe(model.secondary) && secondaryMayGoFirst) promote(model, "secondary", effects);
}

function connectSide(model: PairModel, effects: PairEffect[], side: Side, delayMs: number): void {
  model[side].link = delayMs > 0 ? "waiting" : "connecting";
  effects.push({ type: "connect", side, delayMs });
}

function postEvent(effects: PairEffect[], kind: SideEventKind, side: Side, detail?: string): void {
  effects.push(detail === undefined ? { type: "post", kind, side } : { type: "post", kind, side, detail });
}
