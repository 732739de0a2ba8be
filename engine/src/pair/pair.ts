import { EventEmitter } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClientSession } from "node-opcua";
import type { ServerPairConfig } from "../config/model";
import type { MonitorItemSnapshot, PairSnapshot, SideSnapshot, UntrustedCertificate } from "../control/protocol";
import type { Side, SideEventKind } from "../events/catalog";
import { PairCounters } from "../metrics/pairCounters";
import type { PairOwnFigures } from "../metrics/metricsCollector";
import { PostedOnce, SideMonitor } from "../monitor/monitorItems";
import { configItemIdentity, nodeIdIn, SessionTables } from "../namespaces/namespaceIdentity";
import { NamespaceStore } from "../state/namespaceStore";
import { scratchTrust, type ServerTrust, type TrustVerdict } from "../upstream/serverTrust";
import { UpstreamSession } from "../upstream/upstreamSession";
import { EventFeed } from "./eventFeed";
import { ActiveSideFailover } from "./modes/activeSideFailover";
import { COLD } from "./modes/cold";
import type { FailoverMode, ForwardedItem, ModeHooks } from "./modes/failoverMode";
import { HotFailover } from "./modes/hot";
import { WARM } from "./modes/warm";
import type { ForwardedData, PairHooks, PairRuntime } from "./pairRuntime";
import { initialModel, pairStatus, sideState, transition, type PairEffect, type PairInput, type PairModel, type PairTimer } from "./pairStateMachine";
import { errorMessage } from "../errorMessage";

export interface PairOptions {
  /** Where the upstream clients keep their certificates (the engine's state folder); a temp folder by default. */
  pkiDir?: string;
  /** The engine's process name; the host stamps events with it, the pair's hooks carry none. */
  process?: string;
  /** The trust list of upstream server certificates (the state folder's); one of this process alone by default. */
  trust?: ServerTrust;
  /** The command line that trusts a side's refused certificate, for the refusal's event. */
  trustCommand?: (side: Side, thumbprint: string) => string;
  /** Where the pair's namespace tables are kept (state/namespaceStore.ts); in memory only without one. */
  namespaceFile?: string;
}

export function createPair(config: ServerPairConfig, hooks: PairHooks, options: PairOptions = {}): Pair {
  return new Pair(config, hooks, options);
}

function createMode(config: ServerPairConfig, hooks: ModeHooks, tables: SessionTables): FailoverMode {
  switch (config.connection.mode) {
    case "cold":
      return new ActiveSideFailover(COLD, hooks, tables);
    // Detection takes at most status interval + timeout (the forwarding subscription's watchdog is
    // quicker); the second spare covers a publishing interval and a loaded machine.
    case "hot":
      return new HotFailover(hooks, tables, config.connection.statusIntervalMs + config.connection.statusTimeoutMs + 1000);
    default:
      return new ActiveSideFailover(WARM, hooks, tables);
  }
}

/** One side's live parts: the session in use or being opened, its monitor items, a pending reconnect. */
interface SideSlot {
  upstream?: UpstreamSession;
  monitor?: SideMonitor;
  posted: PostedOnce;
  timer?: NodeJS.Timeout;
  /** Bumped whenever the side is connected anew or dropped, so a late result of an older attempt is ignored. */
  attempt: number;
  /** Connection attempts started (tests count them to see there is no busy loop). */
  attempts: number;
  /** Why the last attempt failed, while the side is not connected. */
  failure?: string;
  /** The certificate the trust list refuses on this side, until it passes. */
  untrusted?: UntrustedCertificate;
}

/**
 * A redundant pair: wires the two upstream sessions, the state machine, the mode's data
 * forwarding and the monitor items together. The state machine decides; this class only
 * carries out its effects and feeds it what the network says.
 */
export class Pair extends EventEmitter implements PairRuntime {
  private model: PairModel;
  private readonly mode: FailoverMode;
  private readonly slots: Record<Side, SideSlot> = {
    primary: { attempt: 0, attempts: 0, posted: new PostedOnce() },
    secondary: { attempt: 0, attempts: 0, posted: new PostedOnce() },
  };
  private readonly closing = new Set<Promise<void>>();
  private readonly timers = new Map<PairTimer, NodeJS.Timeout>();
  private readonly queue: PairInput[] = [];
  private dispatching = false;
  private notSynced: NotSynced | undefined;
  private readonly pkiDir: string;
  private readonly trust: ServerTrust;
  private readonly counters = new PairCounters();
  /** Items the endpoint asked the pair to forward. */
  private forwardedItems = 0;
  readonly data: ForwardedData;
  readonly events = new EventFeed();
  readonly sessionTables = new SessionTables();
  readonly namespaceStore: NamespaceStore;
  /** Resolves once the primary's first connection attempt has ended, connected or not. */
  private readonly primaryTried: Promise<void>;
  private primaryTriedNow!: () => void;

  constructor(
    readonly config: ServerPairConfig,
    private readonly hooks: PairHooks,
    private readonly options: PairOptions = {},
  ) {
    super();
    this.namespaceStore = new NamespaceStore(options.namespaceFile, (detail) =>
      safely(() => hooks.postEvent({ kind: "namespaceTableWriteFailed", fields: { server: config.effectiveName, file: options.namespaceFile!, detail } })),
    );
    this.mode = createMode(
      config,
      {
        post: (kind, side, fields) => this.post(kind, side, fields),
        sideFailed: (side, upstream, detail) => {
          if (this.slots[side].upstream === upstream) this.dispatch({ type: "lost", side, reason: "statusLost", detail });
        },
      },
      this.sessionTables,
    );
    this.model = initialModel(this.mode.policy, config.connection.alwaysReconnectToPrimary, config.monitoring.items.length > 0, config.connection.failbackHoldDownMs);
    this.pkiDir = options.pkiDir ?? join(tmpdir(), "redundancymaster-pki", "client");
    this.trust = options.trust ?? scratchTrust();
    this.primaryTried = new Promise((done) => (this.primaryTriedNow = done));
    this.data = {
      add: (node, itemOptions, onValue) => {
        const counters = this.counters;
        const item: ForwardedItem = {
          node,
          options: itemOptions,
          onValue: (value) => {
            counters.forwarded();
            onValue(value);
          },
        };
        this.mode.add(item);
        this.forwardedItems++;
        let removed = false;
        return {
          remove: () => {
            if (!removed) this.forwardedItems--;
            removed = true;
            this.mode.remove(item);
          },
        };
      },
    };
  }

  /** Throws when the pair's namespace table file is unusable (starting over would renumber its clients' NodeIds). */
  async start(): Promise<void> {
    await this.namespaceStore.load();
    this.dispatch({ type: "start" });
  }

  async stop(): Promise<void> {
    this.dispatch({ type: "stop" });
    await Promise.all([this.mode.close(), this.events.close()]);
    while (this.closing.size > 0) await Promise.all([...this.closing]);
  }

  async forceFailover(): Promise<void> {
    this.dispatch({ type: "forceFailover" });
  }

  activeSession(): ClientSession | undefined {
    const active = this.model.active;
    return active ? this.slots[active].upstream?.session : undefined;
  }

  async activeSessionAs(user: string, password: string): Promise<ClientSession | "refused" | undefined> {
    const active = this.model.active;
    return active ? this.slots[active].upstream?.sessionAs(user, password) : undefined;
  }

  sideSession(side: Side): ClientSession | undefined {
    const upstream = this.slots[side].upstream;
    return upstream?.isOpen ? upstream.session : undefined;
  }

  reportNotSynced(notSynced: NotSynced | undefined): void {
    const same = JSON.stringify(notSynced ?? null) === JSON.stringify(this.notSynced ?? null);
    this.notSynced = notSynced;
    if (same) return;
    if (notSynced) safely(() => this.hooks.postEvent({ kind: "pairNotSynced", fields: { server: this.config.effectiveName, detail: describeNotSynced(notSynced) } }));
    this.notifyChanged();
  }

  reportClientRefused(detail: string): void {
    safely(() => this.hooks.postEvent({ kind: "endpointClientRefused", fields: { server: this.config.effectiveName, detail } }));
  }

  get active(): Side | null {
    return this.model.active;
  }

  /** Connection attempts started on a side since the pair was created. */
  connectionAttempts(side: Side): number {
    return this.slots[side].attempts;
  }

  figures(): PairOwnFigures {
    const { valuesForwarded, failovers, lastSwitchMs } = this.counters;
    return {
      valuesForwarded,
      failovers,
      ...(lastSwitchMs !== undefined ? { lastSwitchMs } : {}),
      upstreamItems: { primary: this.mode.upstreamItems("primary"), secondary: this.mode.upstreamItems("secondary") },
      standbyBufferedValues: this.mode.heldValues(),
    };
  }

  snapshot(): PairSnapshot {
    const c = this.config;
    const status = pairStatus(this.model);
    return {
      name: c.effectiveName,
      configName: c.name,
      ...(c.alias !== undefined ? { alias: c.alias } : {}),
      enabled: true,
      mode: c.connection.mode,
      port: c.port,
      active: this.model.active,
      status: this.notSynced && status === "Paired and Available" ? "Pair not synced" : status,
      primary: this.sideSnapshot("primary"),
      secondary: this.sideSnapshot("secondary"),
      ...(this.notSynced ? { notSynced: this.notSynced } : {}),
    };
  }

  private sideSnapshot(side: Side): SideSnapshot {
    const s = this.model[side];
    // A disconnected side's last verdicts are history: shown as unknown until it reports again.
    const items: MonitorItemSnapshot[] =
      (s.link === "connected" ? this.slots[side].monitor?.snapshot() : undefined) ??
      this.config.monitoring.items.map((i) => ({ id: i.id, trigger: i.trigger, inError: false, unknown: true as const }));
    const slot = this.slots[side];
    const state = sideState(s);
    return {
      side,
      host: this.config[side].host,
      url: this.config[side].url,
      state,
      ...(state === "Disconnected" && slot.failure ? { reason: slot.failure } : {}),
      ...(slot.untrusted ? { untrustedCertificate: slot.untrusted } : {}),
      monitorTest: s.link === "connected" ? s.monitor : "unknown",
      items,
    };
  }

  private dispatch(input: PairInput): void {
    this.queue.push(input);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        const { model, effects } = transition(this.model, next);
        const changed = model !== this.model;
        this.model = model;
        for (const effect of effects) this.apply(effect);
        if (changed) this.notifyChanged();
      }
    } finally {
      this.dispatching = false;
    }
  }

  private apply(effect: PairEffect): void {
    switch (effect.type) {
      case "connect":
        return this.connect(effect.side, effect.delayMs);
      case "disconnect":
        return this.drop(effect.side);
      case "activate": {
        // Listeners hear of the switch before the new side's first values (hot mode's replay) reach them.
        safely(() => this.emit("activeChanged", effect.side));
        this.counters.activated(effect.side, this.forwardedItems > 0);
        this.mode.activate(effect.side);
        this.events.use(effect.side ? this.slots[effect.side].upstream : undefined);
        return;
      }
      case "post": {
        const fields: Record<string, string | number> = { server: this.config.effectiveName, machine: this.config[effect.side].host };
        if (effect.detail !== undefined) fields.detail = effect.detail;
        return this.post(effect.kind, effect.side, fields);
      }
      case "startTimer": {
        clearTimeout(this.timers.get(effect.timer));
        const timer = effect.timer;
        this.timers.set(
          timer,
          setTimeout(() => {
            this.timers.delete(timer);
            this.dispatch({ type: "timerElapsed", timer });
          }, effect.delayMs),
        );
        return;
      }
      case "cancelTimer": {
        clearTimeout(this.timers.get(effect.timer));
        this.timers.delete(effect.timer);
        return;
      }
    }
  }

  private post(kind: SideEventKind, side: Side, fields: Record<string, string | number>): void {
    safely(() => this.hooks.postEvent({ kind, side, fields: { server: this.config.effectiveName, machine: this.config[side].host, ...fields } }));
  }

  private notifyChanged(): void {
    safely(() => this.hooks.onChanged());
  }

  private connect(side: Side, delayMs: number): void {
    const slot = this.slots[side];
    this.drop(side);
    const attempt = slot.attempt;
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      void this.open(side, attempt);
    }, delayMs);
  }

  private async open(side: Side, attempt: number): Promise<void> {
    const slot = this.slots[side];
    const c = this.config;
    const upstream = new UpstreamSession({
      url: c[side].url,
      security: c.security,
      pkiDir: this.pkiDir,
      trust: this.trust,
      applicationName: "RedundancyMaster",
      statusIntervalMs: c.connection.statusIntervalMs,
      statusTimeoutMs: c.connection.statusTimeoutMs,
      connectTimeoutMs: Math.max(5000, 2 * c.connection.statusTimeoutMs),
    });
    slot.upstream = upstream;
    slot.attempts += 1;
    try {
      await upstream.open();
    } catch (error) {
      if (side === "primary") this.primaryTriedNow();
      if (slot.attempt !== attempt) return;
      slot.upstream = undefined;
      slot.failure = errorMessage(error);
      this.noteTrust(side, upstream.verdict);
      this.dispatch({ type: "connectFailed", side, detail: slot.failure });
      return;
    }
    if (slot.attempt !== attempt) {
      this.closeLater(upstream);
      return;
    }
    slot.failure = undefined;
    this.noteTrust(side, upstream.verdict);
    upstream.on("lost", (reason: "connectionLost" | "statusLost", detail: string) => {
      if (slot.upstream === upstream) this.dispatch({ type: "lost", side, reason, detail });
    });
    upstream.on("status", (status: { running: boolean }) => {
      if (slot.upstream === upstream) this.dispatch({ type: "serverStatus", side, running: status.running });
    });
    this.mode.sideUp(side, upstream);
    this.dispatch({ type: "connected", side });
    const session = upstream.session!;
    if (side === "primary") {
      this.primaryTriedNow();
      void this.sessionTables.table(session).then(
        (table) => this.namespaceStore.setPrimary(table),
        () => undefined,
      );
    }
    if (c.monitoring.items.length > 0 && slot.upstream === upstream) {
      slot.monitor = new SideMonitor(
        upstream,
        c.monitoring,
        {
          post: (kind, fields) => this.post(kind, side, fields),
          nodeIdOf: async (id) => {
            const table = await this.sessionTables.table(session);
            const identity = configItemIdentity(id, side === "primary" ? table : await this.primaryTable(), table);
            return identity && nodeIdIn(identity, table);
          },
          result: (passed) => {
            if (slot.upstream === upstream) this.dispatch({ type: "monitorTest", side, passed });
          },
          changed: () => this.notifyChanged(),
        },
        slot.posted,
      );
    }
  }

  /**
   * Posts what the trust list decided on a side's certificate, once per certificate: a pin at first
   * use, a refusal (kept on the side's snapshot until a certificate passes), and a refused one that
   * a person has trusted since.
   */
  private noteTrust(side: Side, verdict: TrustVerdict | undefined): void {
    if (!verdict) return;
    const slot = this.slots[side];
    const url = this.config[side].url;
    if (verdict.trusted) {
      const { certificate } = verdict;
      const fields = { url, thumbprint: certificate.thumbprint, subject: certificate.subject, validFrom: certificate.validFrom, validTo: certificate.validTo };
      if (verdict.how === "pinned") this.post("serverCertificatePinned", side, fields);
      else if (slot.untrusted?.thumbprint === certificate.thumbprint) this.post("serverCertificateTrusted", side, { ...fields, by: verdict.trustedBy ?? "the trust list" });
      if (slot.untrusted) {
        slot.untrusted = undefined;
        this.notifyChanged();
      }
      return;
    }
    const { certificate, reason } = verdict;
    if (!certificate || reason === "none") return;
    if (slot.untrusted?.thumbprint === certificate.thumbprint && slot.untrusted.reason === reason) return;
    slot.untrusted = {
      thumbprint: certificate.thumbprint,
      subject: certificate.subject,
      validFrom: certificate.validFrom,
      validTo: certificate.validTo,
      reason,
      ...(verdict.pinned && verdict.pinned.thumbprint !== certificate.thumbprint ? { pinnedThumbprint: verdict.pinned.thumbprint } : {}),
    };
    const command = this.options.trustCommand?.(side, certificate.thumbprint) ?? `redundancymaster trust <config file> ${this.config.effectiveName} ${side} --thumbprint ${certificate.thumbprint}`;
    this.post(reason === "changed" ? "serverCertificateChanged" : "serverCertificateUntrusted", side, {
      url,
      thumbprint: certificate.thumbprint,
      subject: certificate.subject,
      validFrom: certificate.validFrom,
      validTo: certificate.validTo,
      pinned: verdict.pinned?.thumbprint ?? "",
      command,
    });
    this.notifyChanged();
  }

  /**
   * The primary's namespace table: its session's when it is connected, else the one last seen.
   * Before the primary was ever seen, its first connection attempt is waited for (the secondary
   * may answer first).
   */
  private async primaryTable(): Promise<readonly string[] | undefined> {
    if (!this.namespaceStore.primary) await this.primaryTried;
    const session = this.sideSession("primary");
    if (!session) return this.namespaceStore.primary;
    return this.sessionTables.table(session).catch(() => this.namespaceStore.primary);
  }

  /** Ends whatever the side has (pending reconnect, attempt under way, session, monitor items) without waiting. */
  private drop(side: Side): void {
    const slot = this.slots[side];
    slot.attempt += 1;
    clearTimeout(slot.timer);
    slot.timer = undefined;
    this.mode.sideDown(side);
    if (this.model.active === side) this.events.use(undefined);
    const monitor = slot.monitor;
    slot.monitor = undefined;
    if (monitor) this.track(monitor.close());
    if (slot.upstream) this.closeLater(slot.upstream);
    slot.upstream = undefined;
  }

  private closeLater(upstream: UpstreamSession): void {
    this.track(upstream.close());
  }

  private track(closing: Promise<void>): void {
    const tracked = closing.catch(() => undefined).finally(() => this.closing.delete(tracked));
    this.closing.add(tracked);
  }
}

type NotSynced = NonNullable<PairSnapshot["notSynced"]>;

/** The nodes one side lacks, a few of each, for the event text. */
function describeNotSynced(n: NotSynced): string {
  const list = (ids: string[]) => ids.slice(0, 5).join(", ") + (ids.length > 5 ? ` and ${ids.length - 5} more` : "");
  const parts = [];
  if (n.missingOnPrimary.length) parts.push(`missing on the primary: ${list(n.missingOnPrimary)}`);
  if (n.missingOnSecondary.length) parts.push(`missing on the secondary: ${list(n.missingOnSecondary)}`);
  return parts.join("; ");
}

function safely(call: () => void): void {
  try {
    call();
  } catch {
    // A host's or listener's failure must not stop the pair.
  }
}
