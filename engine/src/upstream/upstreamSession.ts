import { EventEmitter } from "node:events";
import { mkdirSync } from "node:fs";
import {
  AttributeIds,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAClient,
  SecurityPolicy,
  TimestampsToReturn,
  UserTokenType,
  type ClientMonitoredItemBase,
  type ClientSession,
  type ClientSubscription,
  type DataValue,
  type UserIdentityInfo,
} from "node-opcua";
import type { SecurityConfig } from "../config/model";
import { destroyClientSocket, pinServerCertificate } from "../opcuaInternals";
import { bounded } from "./bounded";
import type { ServerTrust, TrustVerdict } from "./serverTrust";
import { endpointCertificate, passwordInClear, UntrustedServerError } from "./trustedEndpoint";
import { disposeOwnedCertificateManager, initializeCertificateManager } from "./certificateManagers";
import { createSubscription } from "./createSubscription";
import { errorMessage } from "../errorMessage";

export interface UpstreamOptions {
  url: string;
  security: SecurityConfig;
  pkiDir: string;
  /** The trust list the server's certificate must pass before a session (and any credential) goes to it. */
  trust: ServerTrust;
  applicationName: string;
  statusIntervalMs: number;
  statusTimeoutMs: number;
  /** Bound on connect + createSession together. */
  connectTimeoutMs: number;
}

/** What the status poll saw: Running(0) with no shutdown announced, or not. */
export interface ServerStatusReading {
  running: boolean;
  state: number;
  secondsTillShutdown: number;
}

export type LossReason = "connectionLost" | "statusLost";

const SERVER_STATE = "i=2259";
const SECONDS_TILL_SHUTDOWN = "i=2992";
/** Sampling and publishing of the status subscription: a shutdown notice reaches the pair within ~100 ms. */
const STATUS_WATCH_MS = 50;
/** The engine's own work before a session (its client certificate the first time, the trust list's files): seconds on a busy machine. */
const LOCAL_WORK_TIMEOUT_MS = 30_000;
/** node-opcua's socket idle and request timeouts, at least: longer than any stall of the engine's own loop seen (seconds at start-up on a loaded machine). */
const BACKSTOP_MS = 30_000;

/**
 * One side of a pair: a node-opcua client and session to one server, with the engine's own
 * failure detection. node-opcua's reconnection is switched off (maxRetry 0): the pair decides
 * when and where to reconnect, by opening a new UpstreamSession.
 *
 * The server's status is read by a poll, which also detects a hung server (a read that times
 * out), and watched by a small subscription of its own, so that a shutdown the server announces
 * is known as soon as it publishes it rather than at the next poll. A server that refuses the
 * subscription is watched by the poll alone.
 *
 * Emits `lost` (reason, detail) once, when the session is no longer usable, and `status`
 * (ServerStatusReading) after every successful poll and every change the subscription reports.
 */
export class UpstreamSession extends EventEmitter {
  private client: OPCUAClient | undefined;
  private certificates: OPCUACertificateManager | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private lostEmitted = false;
  session: ClientSession | undefined;
  /** The trust list's verdict on the server's certificate, once open() got that far. */
  verdict: TrustVerdict | undefined;
  /** The server's user token policy would take passwords unencrypted on this channel: none are sent. */
  private passwordsInClear = false;
  /** Sessions as the endpoint's logged-in users (see sessionAs), by user and password; memory only. */
  private readonly userSessions = new Map<string, Promise<ClientSession | "refused" | undefined>>();

  constructor(readonly options: UpstreamOptions) {
    super();
  }

  /**
   * Connects and creates a session, each wait for the server bounded by connectTimeoutMs; on failure everything is released.
   * The server's certificate is taken from its GetEndpoints answer and put to the trust list first:
   * a refusal throws UntrustedServerError before CreateSession, so no credential leaves the engine,
   * and the session is opened against that very certificate (the secure channel's key for Sign
   * and SignAndEncrypt, the user token's encryption key for every mode).
   */
  async open(): Promise<void> {
    const o = this.options;
    mkdirSync(o.pkiDir, { recursive: true });
    // No automatic acceptance: the client's certificate manager shares the trust list's folder.
    this.certificates = new OPCUACertificateManager({ rootFolder: o.pkiDir, automaticallyAcceptUnknownCertificate: false });
    try {
      // The engine's own work (its certificate the first time, the trust list's files) is bounded apart from
      // the server's answers, and done with no connection open: inside the connect timeout, a fresh state
      // folder on a busy machine failed the first attempt on one side or both, and an open connection
      // left idle through it timed out (transportTimeout) before its CreateSession.
      await bounded(this.ownCertificate(), LOCAL_WORK_TIMEOUT_MS, "creating the engine's client certificate");
      const trusted = await this.trustedCertificate();
      const client = this.use(this.createClient(o.security.mode, trusted));
      await bounded(client.connect(o.url), o.connectTimeoutMs, `connecting to ${o.url}`);
      // The user token is encrypted for the certificate the trust list holds, not for whatever CreateSession's answer names.
      pinServerCertificate(client, trusted);
      const session = client.createSession(userIdentity(o.security)).catch((error: unknown) => {
        throw new Error(sessionRefusal(error, o.security));
      });
      this.session = await bounded(session, o.connectTimeoutMs, `opening a session on ${o.url}`);
    } catch (error) {
      await this.close();
      if (error instanceof UntrustedServerError) throw error;
      throw new Error(errorMessage(error));
    }
    if (this.closed || this.lostEmitted || !this.session) {
      // Lost while the session was being created: no one was listening yet, so this attempt failed.
      await this.close();
      throw new Error("connection lost while connecting");
    }
    this.session.on("session_closed", () => this.lose("connectionLost", "session closed"));
    this.schedulePoll(0);
    void this.watchStatus();
  }

  /** Creates the engine's client certificate when the state folder has none (node-opcua makes it through a client), before any connection is open. */
  private async ownCertificate(): Promise<void> {
    await initializeCertificateManager(this.certificates!);
    await OPCUAClient.create({ applicationName: this.options.applicationName, clientCertificateManager: this.certificates }).createDefaultCertificate();
  }

  /** The client the session is opened on: its losses are this side's. */
  private use(client: OPCUAClient): OPCUAClient {
    this.client = client;
    client.on("connection_lost", () => this.lose("connectionLost", "connection lost"));
    client.on("close", () => this.lose("connectionLost", "connection closed"));
    // node-opcua would otherwise try again on its own; this side's owner decides that.
    client.on("start_reconnection", () => this.lose("connectionLost", "connection lost"));
    return client;
  }

  /**
   * Reads the server's endpoints on a connection of their own, closed again, and puts the
   * server's certificate to the trust list; returns the certificate when it passes.
   */
  private async trustedCertificate(): Promise<Buffer> {
    const o = this.options;
    const discovery = this.createClient("None");
    const endpoints = await bounded(
      discovery.connect(o.url).then(() => discovery.getEndpoints()),
      o.connectTimeoutMs,
      `connecting to ${o.url}`,
    ).finally(() => bounded(discovery.disconnect(), 1500, "disconnecting").catch(() => undefined));
    const mode = MessageSecurityMode[o.security.mode];
    const policy = SecurityPolicy[o.security.policy];
    const certificate = endpointCertificate(endpoints, mode, policy);
    const verdict = await bounded(o.trust.check(o.url, certificate, o.security.trustPolicy, true), LOCAL_WORK_TIMEOUT_MS, "checking the server's certificate against the trust list");
    this.verdict = verdict;
    if (!verdict.trusted) throw new UntrustedServerError(o.url, verdict);
    this.passwordsInClear = passwordInClear(endpoints, mode, policy);
    if (o.security.user && this.passwordsInClear) {
      throw new Error(`the server would take the password of user '${o.security.user}' unencrypted on a channel that does not encrypt: no session was opened; use <security mode="SignAndEncrypt">`);
    }
    return certificate!;
  }

  private createClient(mode: SecurityConfig["mode"], serverCertificate?: Buffer): OPCUAClient {
    // The steps of open() go on after its bound gave up and close() ran: a client made then would be no one's to close.
    if (this.closed || !this.certificates) throw new Error("closed while connecting");
    const o = this.options;
    const requestTimeout = Math.max(o.statusTimeoutMs, 1000);
    return OPCUAClient.create({
      applicationName: o.applicationName,
      endpointMustExist: false,
      connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
      securityMode: MessageSecurityMode[mode],
      securityPolicy: mode === "None" ? SecurityPolicy.None : SecurityPolicy[o.security.policy],
      ...(serverCertificate ? { serverCertificate } : {}),
      clientCertificateManager: this.certificates,
      // node-opcua's own timers count a stall of the engine's event loop against the server (the
      // socket's idle timeout fires before the data waiting in it is read, and closes the
      // connection): they are only the backstop of the status poll and bounded(), which leave
      // such stalls out, so they wait far longer than any stall.
      transportTimeout: Math.max(2 * (o.statusIntervalMs + o.statusTimeoutMs), BACKSTOP_MS),
      defaultTransactionTimeout: Math.max(requestTimeout * 2, BACKSTOP_MS),
      keepSessionAlive: false,
      requestedSessionTimeout: sessionTimeoutMs(o),
    });
  }

  get isOpen(): boolean {
    return !!this.session && !this.closed && !this.lostEmitted;
  }

  /** A subscription on this session (for the monitor items or the forwarded data), bounded. */
  async subscribe(publishingInterval: number): Promise<ClientSubscription> {
    const session = this.session;
    if (!session || !this.isOpen) throw new Error("no session");
    // node-opcua refuses a subscription whose keep-alive period (count × interval) exceeds the session
    // timeout (W09); within half of it, a quiet subscription never looks like a dead session.
    const interval = Math.min(publishingInterval, session.timeout / 6);
    return bounded(
      createSubscription(session, {
        requestedPublishingInterval: interval,
        requestedLifetimeCount: 600,
        requestedMaxKeepAliveCount: Math.max(3, Math.min(10, Math.floor(session.timeout / (2 * interval)))),
        maxNotificationsPerPublish: 0,
        publishingEnabled: true,
        priority: 1,
      }),
      Math.max(this.options.statusTimeoutMs, 2000),
      "creating a subscription",
    );
  }

  /**
   * A session as this user on the same connection, opened on first use and kept until the
   * connection ends: "refused" when the server refuses the user, undefined when there is no
   * connection or the server gave no verdict (asked again next time).
   */
  sessionAs(user: string, password: string): Promise<ClientSession | "refused" | undefined> {
    const client = this.client;
    if (!client || !this.isOpen) return Promise.resolve(undefined);
    // A client's password is not sent where it would cross unencrypted: that login is refused.
    if (this.passwordsInClear) return Promise.resolve("refused");
    const key = `${user}\0${password}`;
    let opening = this.userSessions.get(key);
    if (!opening) {
      opening = bounded(client.createSession({ type: UserTokenType.UserName, userName: user, password }), Math.max(this.options.statusTimeoutMs, 2000), "opening a session as a client's user").catch(
        (error: unknown) => {
          this.userSessions.delete(key);
          return IDENTITY_REFUSED.test(errorMessage(error)) ? ("refused" as const) : undefined;
        },
      );
      this.userSessions.set(key, opening);
    }
    return opening;
  }

  /** Releases the session and the socket; bounded even when the server hangs. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.pollTimer);
    const client = this.client;
    const certificates = this.certificates;
    this.client = undefined;
    this.certificates = undefined;
    const session = this.session;
    if (client) {
      client.removeAllListeners();
      session?.removeAllListeners();
      // Closing the session politely needs an answer: ask only a server that still answers.
      const polite = session && !this.lostEmitted;
      await bounded(polite ? client.disconnect() : forceDisconnect(client), 1500, "disconnecting").catch(() => forceDisconnect(client));
    }
    if (certificates) await disposeOwnedCertificateManager(certificates);
  }

  private schedulePoll(delay: number): void {
    if (this.closed || this.lostEmitted) return;
    this.pollTimer = setTimeout(() => void this.poll(), delay);
  }

  private async poll(): Promise<void> {
    const session = this.session;
    if (!session || this.closed || this.lostEmitted) return;
    try {
      const [state, seconds] = await bounded(
        session.read([
          { nodeId: SERVER_STATE, attributeId: AttributeIds.Value },
          { nodeId: SECONDS_TILL_SHUTDOWN, attributeId: AttributeIds.Value },
        ]),
        this.options.statusTimeoutMs,
        "reading the server status",
      );
      if (!state.statusCode.isGood()) throw new Error(`server status unreadable (${state.statusCode.name})`);
      if (this.closed || this.lostEmitted) return;
      this.emit("status", reading(state, seconds));
    } catch (error) {
      this.lose("statusLost", errorMessage(error));
      return;
    }
    this.schedulePoll(this.options.statusIntervalMs);
  }

  private async watchStatus(): Promise<void> {
    let subscription: ClientSubscription | undefined;
    try {
      subscription = await this.subscribe(STATUS_WATCH_MS);
      const items = await bounded(
        subscription.monitorItems(
          [SERVER_STATE, SECONDS_TILL_SHUTDOWN].map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })),
          { samplingInterval: STATUS_WATCH_MS, queueSize: 1, discardOldest: true },
          TimestampsToReturn.Neither,
        ),
        Math.max(this.options.statusTimeoutMs, 2000),
        "watching the server status",
      );
      const latest: (DataValue | undefined)[] = [undefined, undefined];
      items.on("changed", (_item: ClientMonitoredItemBase, value: DataValue, index: number) => {
        latest[index] = value;
        const [state, seconds] = latest;
        if (!state?.statusCode.isGood() || this.closed || this.lostEmitted) return;
        this.emit("status", reading(state, seconds));
      });
    } catch {
      // The poll watches the status alone; a subscription half made is given back (the session's close would end it anyway).
      if (subscription && this.isOpen) void bounded(subscription.terminate(), this.options.statusTimeoutMs, "ending the status subscription").catch(() => undefined);
    }
  }

  private lose(reason: LossReason, detail: string): void {
    if (this.lostEmitted || this.closed) return;
    this.lostEmitted = true;
    clearTimeout(this.pollTimer);
    this.emit("lost", reason, detail);
  }
}

/**
 * The session timeout the engine asks for: a cut link leaves the session on the server until it
 * times out, and the engine opens a new one at every reconnect (it never takes an old one back), so
 * a long timeout only fills the server's sessions while a link flaps (node-opcua servers allow ten).
 * The status poll keeps a live session busy; three polls with their timeouts are its margin.
 */
function sessionTimeoutMs(o: UpstreamOptions): number {
  return Math.max(10_000, 3 * (o.statusIntervalMs + o.statusTimeoutMs));
}

function reading(state: DataValue, seconds: DataValue | undefined): ServerStatusReading {
  const stateValue = Number(state.value.value);
  const secondsTillShutdown = seconds?.statusCode.isGood() ? Number(seconds.value.value) || 0 : 0;
  return { running: stateValue === 0 && secondsTillShutdown === 0, state: stateValue, secondsTillShutdown };
}

function userIdentity(security: SecurityConfig): UserIdentityInfo {
  if (!security.user) return { type: UserTokenType.Anonymous };
  return { type: UserTokenType.UserName, userName: security.user, password: security.passwordEnv ? (process.env[security.passwordEnv] ?? "") : "" };
}

/** node-opcua's refusals of an identity are bare status names or about token policies: they are put in a user's words. */
const IDENTITY_REFUSED = /BadUserAccessDenied|BadIdentityToken|BadUserSignatureInvalid|user token policy/;

/** Names the identity the server refused and what to check; never the password. Other failures keep their text. */
function sessionRefusal(error: unknown, security: SecurityConfig): string {
  const text = errorMessage(error);
  if (!IDENTITY_REFUSED.test(text)) return text;
  const user = security.user;
  if (!user) return "the server refuses anonymous sessions: name a user and passwordEnv in <security>";
  const code = text.match(/\bBad\w+/)?.[0];
  if (!code) return `the server accepts no user name and password, so user '${user}' cannot log on`;
  const refused = `the server refused user '${user}' (${code})`;
  if (!security.passwordEnv) return `${refused}: no passwordEnv names the variable that holds its password`;
  if (process.env[security.passwordEnv] === undefined) return `${refused}: the environment variable ${security.passwordEnv} that holds its password is not set for the engine`;
  return `${refused}: check the user name and the password in the environment variable ${security.passwordEnv}`;
}

/** Drops the connection without waiting for the server: what is left of a lost or hung side. */
async function forceDisconnect(client: OPCUAClient): Promise<void> {
  destroyClientSocket(client);
  await bounded(client.disconnect(), 1500, "disconnecting").catch(() => undefined);
}
