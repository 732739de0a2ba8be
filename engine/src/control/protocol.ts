/**
 * The engine's control channel: JSON-RPC over the Node IPC channel of the engine's child
 * process (local only, no TCP listener). This file is the typed contract; the extension
 * imports it through clientApi.ts (so it must stay free of node-opcua), the engine implements it.
 */
import { NotificationType, RequestType, RequestType0 } from "vscode-jsonrpc";
import type { SmtpRole } from "../config/model";
import type { Severity, Side } from "../events/catalog";

export type { Severity, Side, SmtpRole };

/** The second seed's pair status vocabulary. */
export type PairStatus = "Paired and Available" | "Primary not available" | "Secondary not available" | "Pair not available" | "Recovering" | "Pair not synced" | "Disabled";

/** A side's state: Running (healthy), Stopped (reachable but not running or in error), Disconnected. */
export type SideState = "Running" | "Stopped" | "Disconnected";

export interface MonitorItemSnapshot {
  id: string;
  trigger: string;
  inError: boolean;
  /** No verdict to show: its side is not connected (or the pair not running), or it has not reported since the side connected. */
  unknown?: true;
  /** Why it is in error (e.g. "could not be added", "Bad quality", "no data change for 2000 ms"). */
  reason?: string;
}

/** A server certificate the trust list refused on a side: what a person checks before trusting it. */
export interface UntrustedCertificate {
  thumbprint: string;
  subject: string;
  validFrom: string;
  validTo: string;
  /** untrusted: not in the trust list (explicit); changed: not the one pinned at first use; withdrawn: the pinned one, taken out of the list. */
  reason: "untrusted" | "changed" | "withdrawn";
  /** The certificate the side's URL is pinned to, when it is another. */
  pinnedThumbprint?: string;
}

export interface SideSnapshot {
  side: Side;
  host: string;
  url: string;
  state: SideState;
  /** Why the side is Disconnected, when an attempt said so. */
  reason?: string;
  /** Present while the side's server presents a certificate the trust list refuses. */
  untrustedCertificate?: UntrustedCertificate;
  /** passed / error / unknown (no test yet, or no monitor items). */
  monitorTest: "passed" | "error" | "unknown";
  items: MonitorItemSnapshot[];
}

export interface PairSnapshot {
  /** Effective name (alias, else name): the pair's key in every call. */
  name: string;
  configName: string;
  alias?: string;
  enabled: boolean;
  mode: "cold" | "warm" | "hot";
  port: number;
  active: Side | null;
  status: PairStatus;
  primary: SideSnapshot;
  secondary: SideSnapshot;
  /** Present when the two sides' namespaces differ. */
  notSynced?: { missingOnPrimary: string[]; missingOnSecondary: string[] };
  /** Present while no endpoint listens for the pair's clients: why ("starting", or the failure and when it is tried again). */
  notServing?: string;
}

export interface RuntimeEvent {
  /** Increases by one per event for the life of the log (survives restarts when preserved). */
  seq: number;
  /** ISO 8601. */
  time: string;
  id: string;
  severity: Severity;
  text: string;
  /** The process the event pertains to (the seed's "Process" column): the engine, or a client of the pair's endpoint. */
  process: string;
  pair?: string;
  side?: Side;
}

export interface EngineSnapshot {
  version: string;
  configFile: string;
  startedAt: string;
  pairs: PairSnapshot[];
  /** The operating figures at the time of the snapshot (Methods.metrics gives them alone). */
  metrics: EngineMetrics;
}

/**
 * A running pair's operating figures (engine/src/metrics/): counters since the pair (re)started,
 * gauges as they are now. The Prometheus text of `<metrics port>` carries the same figures.
 */
export interface PairMetrics {
  /** Values the pair handed its endpoint from the active side (Bad statuses in their place included). */
  valuesForwarded: number;
  /** valuesForwarded per second over the engine's last measuring window (5 s). */
  valuesPerSecond: number;
  /** Switches of the active side from one server to the other: failures, failbacks and operators' alike. */
  failovers: number;
  /** The last switch, from giving up the old side to the first value from the new one (ms); absent before the first. */
  lastSwitchMs?: number;
  /** Items the pair has asked each side's server to monitor (hot: both sides; warm and cold: the active side). */
  upstreamItems: Record<Side, number>;
  /** Monitored items the endpoint's clients hold on forwarded variables. */
  downstreamItems: number;
  /** Values the standby sent and the pair holds for a replay at the switch (hot mode; 0 otherwise). */
  standbyBufferedValues: number;
  /** Values waiting in the clients' monitored-item queues for their next publish: grows when clients fall behind. */
  clientQueuedValues: number;
}

/** The engine process's own figures, over the last measuring window (5 s). */
export interface EngineFigures {
  /** Resident set size of the engine process (bytes). */
  rssBytes: number;
  /** How late the event loop ran timers (ms): what every pair's forwarding waited for, at most. */
  eventLoopLagMs: { p99: number; max: number };
}

export interface EngineMetrics {
  /** ISO 8601. */
  time: string;
  engine: EngineFigures;
  /** By effective name; the running pairs only (a disabled or stopped pair has no figures). */
  pairs: Record<string, PairMetrics>;
}

export interface EmailRecipientResult {
  recipient: string;
  accepted: boolean;
  detail: string;
}

export interface ConnectionTestSide {
  side: Side;
  url: string;
  reachable: boolean;
  detail: string;
  securityModes?: string[];
}

export interface ConnectionTestResult {
  pair: string;
  primary: ConnectionTestSide;
  secondary: ConnectionTestSide;
  /** Configured monitor item ids missing per side, when both were reachable. */
  missingOnPrimary?: string[];
  missingOnSecondary?: string[];
}

export const Methods = {
  snapshot: new RequestType0<EngineSnapshot, void>("engine/snapshot"),
  /** The operating figures alone (the extension asks when a pair's tooltip is shown). */
  metrics: new RequestType0<EngineMetrics, void>("engine/metrics"),
  shutdown: new RequestType0<void, void>("engine/shutdown"),
  reload: new RequestType0<{ applied: boolean; detail: string }, void>("config/reload"),
  setEnabled: new RequestType<{ pair: string; enabled: boolean }, PairSnapshot, void>("pair/setEnabled"),
  forceFailover: new RequestType<{ pair: string }, PairSnapshot, void>("pair/forceFailover"),
  testConnection: new RequestType<{ pair: string }, ConnectionTestResult, void>("pair/testConnection"),
  listEvents: new RequestType<{ limit?: number }, RuntimeEvent[], void>("events/list"),
  resetEvents: new RequestType0<void, void>("events/reset"),
  saveEvents: new RequestType<{ file: string }, { count: number }, void>("events/saveAs"),
  testEmail: new RequestType0<EmailRecipientResult[], void>("email/test"),
  /** Trusts the certificate the side last refused (its thumbprint, as the user was shown it); the side connects on its next attempt. */
  trustServerCertificate: new RequestType<{ pair: string; side: Side; thumbprint: string }, PairSnapshot, void>("pair/trustServerCertificate"),
  /** Engine → client: every runtime event as it is logged. */
  event: new NotificationType<RuntimeEvent>("engine/event"),
  /** Engine → client: a pair's state whenever it changes. */
  pairChanged: new NotificationType<PairSnapshot>("engine/pairChanged"),
} as const;

/**
 * Secrets the extension hands the engine at start, on the control channel's first message
 * (never on the command line or in the environment of other processes, never logged).
 */
export interface EngineSecrets {
  smtpPasswords?: Partial<Record<SmtpRole, string>>;
}
export const setSecrets = new NotificationType<EngineSecrets>("engine/setSecrets");
