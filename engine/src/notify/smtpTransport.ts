import { createTransport } from "nodemailer";
import type { SmtpConfig, SmtpRole } from "../config/model";

export interface SmtpEndpoint {
  role: SmtpRole;
  config: SmtpConfig;
  password?: string;
}

export interface OutgoingMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/**
 * Short limits, so that a dead or hung SMTP server costs seconds, never minutes (nodemailer's
 * defaults wait up to 2 min for a connection and 10 min on an idle socket).
 */
export interface SmtpTimeouts {
  connectionMs: number;
  greetingMs: number;
  socketMs: number;
  /** The whole attempt: connect, TLS, AUTH, envelope and data. */
  attemptMs: number;
}

export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000, attemptMs: 20_000 };

export interface TransportSettings {
  timeouts: SmtpTimeouts;
  /** PEM of a CA trusted besides the system's (a test's self-signed certificate); production trusts system CAs and NODE_EXTRA_CA_CERTS. */
  extraCa?: string;
}

export interface RecipientRefusal {
  recipient: string;
  reason: string;
}

/** What the server that took the mail said about each recipient. */
export interface DeliveryReport {
  accepted: string[];
  refused: RecipientRefusal[];
  response: string;
}

/** One server did not take the mail; `refused` holds per-recipient replies when it refused every recipient. */
export class SmtpAttemptError extends Error {
  constructor(
    message: string,
    readonly refused: RecipientRefusal[] = [],
  ) {
    super(message);
  }
}

export function describeEndpoint(endpoint: SmtpEndpoint): string {
  return `${endpoint.role} SMTP ${endpoint.config.host}:${endpoint.config.port}`;
}

interface SmtpErrorShape {
  message?: string;
  rejectedErrors?: { recipient?: string; response?: string; message?: string }[];
}

function refusals(errors: SmtpErrorShape["rejectedErrors"]): RecipientRefusal[] {
  return (errors ?? []).map((e) => ({ recipient: e.recipient ?? "", reason: e.response ?? e.message ?? "refused" }));
}

/** Sends one mail through one server, once; throws SmtpAttemptError when that server did not take it. */
export async function deliver(endpoint: SmtpEndpoint, mail: OutgoingMail, settings: TransportSettings): Promise<DeliveryReport> {
  const { config } = endpoint;
  if (config.user && endpoint.password === undefined) {
    throw new SmtpAttemptError(`user '${config.user}' has no password (set it in VS Code or in the environment)`);
  }
  const { timeouts } = settings;
  const transport = createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure === "tls",
    requireTLS: config.secure === "starttls",
    ignoreTLS: config.secure === "none",
    auth: config.user ? { user: config.user, pass: endpoint.password } : undefined,
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    dnsTimeout: timeouts.connectionMs,
    tls: settings.extraCa ? { ca: settings.extraCa } : undefined,
    logger: false,
    debug: false,
  });
  try {
    const info = await transport.sendMail({ ...mail, signal: AbortSignal.timeout(timeouts.attemptMs) });
    const rejectedErrors = (info as SmtpErrorShape).rejectedErrors;
    return { accepted: info.accepted.map(String), refused: refusals(rejectedErrors), response: info.response };
  } catch (err) {
    const shape = err as SmtpErrorShape & { name?: string };
    if (shape.name === "AbortError") throw new SmtpAttemptError(`gave up after ${timeouts.attemptMs} ms`);
    throw new SmtpAttemptError(shape.message ?? String(err), refusals(shape.rejectedErrors));
  } finally {
    transport.close();
  }
}
