import { CreateSessionRequest, type IAddressSpace, type OPCUAServer, type ServerCapabilitiesOptions } from "node-opcua";
import type { ClientLimits } from "../config/model";

/** A refusal is told at once, then at most once a minute with the count since (a client storm is one event a minute, not hundreds). */
const REPORT_EVERY_MS = 60_000;

/** The server capabilities that carry the session limit (node-opcua's defaults: 10 sessions, 100 subscriptions in all). */
export function sessionCapabilities(limits: ClientLimits): ServerCapabilitiesOptions {
  // Ten subscriptions for each session, as node-opcua allows a session.
  return { maxSessions: limits.maxSessions, maxSubscriptions: 10 * limits.maxSessions };
}

/**
 * What node-opcua lacks to keep an endpoint usable when clients vanish: a cap on the session
 * timeout a client is granted (it grants up to 50 minutes), and the subscriptions of a session
 * that timed out deleted with it (node-opcua keeps them for a transfer until their own lifetime
 * ends, with the upstream items they hold). A client refused by a limit is reported.
 */
export function enforceClientLimits(server: OPCUAServer, limits: ClientLimits, refused: (detail: string) => void): { dispose(): void } {
  const reporter = new RefusalReporter(refused);
  server.on("request", (request) => {
    if (!(request instanceof CreateSessionRequest)) return;
    if (request.requestedSessionTimeout > limits.maxSessionTimeoutMs) request.requestedSessionTimeout = limits.maxSessionTimeoutMs;
    // At its limit node-opcua refuses the new session, or makes room by closing the oldest one that
    // awaits activation: either way a client is turned away.
    if (server.currentSessionCount >= limits.maxSessions) {
      reporter.refused(`it serves ${limits.maxSessions} sessions, its maxSessions`);
    }
  });
  server.on("connectionRefused", () => reporter.refused(`it holds ${limits.maxConnections} connections, its maxConnections`));
  server.on("create_session", (session) => {
    session.prependListener("timeout", () => {
      for (const subscription of session.publishEngine.subscriptions) session.deleteSubscription(subscription.id);
    });
  });
  return { dispose: () => reporter.dispose() };
}

/**
 * Removes the nodes under which node-opcua builds an object of diagnostics for every session and
 * subscription (Server.ServerDiagnostics.SessionsDiagnosticsSummary, SubscriptionDiagnosticsArray):
 * some 20 ms of the engine's one thread per session on a loaded 2-core machine, so 100 clients
 * connecting at once held up every pair for 0.9–2.4 s at a time (0.4 s at most without them), and
 * their clients lost values. The counts (ServerDiagnosticsSummary: CurrentSessionCount, …) stay.
 */
export function dropPerSessionDiagnostics(addressSpace: IAddressSpace): void {
  const diagnostics = addressSpace.rootFolder.objects.server.getComponentByName("ServerDiagnostics");
  for (const name of ["SessionsDiagnosticsSummary", "SubscriptionDiagnosticsArray"]) {
    const node = diagnostics?.getComponentByName(name);
    if (node) addressSpace.deleteNode(node);
  }
}

class RefusalReporter {
  private lastReport = 0;
  private unreported = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly report: (detail: string) => void) {}

  refused(reason: string): void {
    this.unreported.set(reason, (this.unreported.get(reason) ?? 0) + 1);
    const wait = this.lastReport + REPORT_EVERY_MS - Date.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private flush(): void {
    this.timer = undefined;
    this.lastReport = Date.now();
    for (const [reason, count] of this.unreported) this.report(count === 1 ? `a client, as ${reason}` : `${count} clients, as ${reason}`);
    this.unreported.clear();
  }
}
