import type { MODES, TRIGGERS, SECURITY_MODES, SECURITY_POLICIES, TRUST_POLICIES, DATA_TYPES, SMTP_ROLES } from "./format";

/** The engine's view of a redundancymaster.xml, defaults applied. Built only from a file without errors. */
export interface RedundancyConfig {
  version: string;
  servers: ServerPairConfig[];
  diagnostics: DiagnosticsConfig;
  notifications: NotificationsConfig;
  /** Absent: no metrics listener. */
  metrics?: MetricsConfig;
}

/** The Prometheus text listener (metrics/metricsServer.ts), on 127.0.0.1 only. */
export interface MetricsConfig {
  port: number;
}

export type ConnectionMode = (typeof MODES)[number];
export type Trigger = (typeof TRIGGERS)[number];
export type DataTypeName = (typeof DATA_TYPES)[number];
export type TrustPolicy = (typeof TRUST_POLICIES)[number];
/** Which of `<notifications>`' two SMTP servers: the one tried first, or the fallback. */
export type SmtpRole = (typeof SMTP_ROLES)[number];

export interface EndpointConfig {
  host: string;
  url: string;
}

export interface ServerPairConfig {
  name: string;
  alias?: string;
  /** alias, else name: the pair's identity everywhere (events, state, the endpoint's application name). */
  effectiveName: string;
  port: number;
  /** The one address the pair's endpoint binds. */
  listen: string;
  /** Offer SecurityMode None to anonymous clients on a non-loopback listen address too. */
  allowUnsecuredAnonymous: boolean;
  primary: EndpointConfig;
  secondary: EndpointConfig;
  connection: ConnectionConfig;
  security: SecurityConfig;
  monitoring: MonitoringConfig;
  clientLimits: ClientLimits;
}

/** What the pair's endpoint grants its clients. */
export interface ClientLimits {
  maxSessions: number;
  maxConnections: number;
  maxSessionTimeoutMs: number;
}

export interface ConnectionConfig {
  mode: ConnectionMode;
  alwaysReconnectToPrimary: boolean;
  statusIntervalMs: number;
  statusTimeoutMs: number;
  /** Flap damping: how long a primary that flaps must stay healthy before failback (0: no damping). */
  failbackHoldDownMs: number;
}

export interface SecurityConfig {
  mode: (typeof SECURITY_MODES)[number];
  policy: (typeof SECURITY_POLICIES)[number];
  user?: string;
  passwordEnv?: string;
  /** How upstream server certificates come to be trusted (upstream/serverTrust.ts). */
  trustPolicy: TrustPolicy;
}

export interface MonitoringConfig {
  failureCount: number;
  items: MonitorItemConfig[];
}

export interface MonitorItemConfig {
  id: string;
  dataType?: DataTypeName;
  updateRateMs: number;
  trigger: Trigger;
  triggerData?: string;
}

export interface DiagnosticsConfig {
  maxEvents: number;
  preserveOnShutdown: boolean;
}

export interface SmtpConfig {
  host: string;
  port: number;
  secure: "none" | "starttls" | "tls";
  user?: string;
}

export interface NotificationsConfig {
  enabled: boolean;
  from?: string;
  subject: string;
  primary?: SmtpConfig;
  secondary?: SmtpConfig;
  to: string[];
  header?: string;
  footer?: string;
  /** Selected event ids. */
  events: string[];
}
