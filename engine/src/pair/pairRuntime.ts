import type { ClientSession, DataValue, EventFilter, NodeId, StatusCode, Variant } from "node-opcua";
import type { ServerPairConfig } from "../config/model";
import type { PairSnapshot } from "../control/protocol";
import type { EventPost, Side } from "../events/catalog";
import type { NodeIdentity, SessionTables } from "../namespaces/namespaceIdentity";
import type { PairOwnFigures } from "../metrics/metricsCollector";
import type { NamespaceStore } from "../state/namespaceStore";

/**
 * The contract between a running pair and the parts around it: the engine host (events,
 * snapshots, enable/disable, reload) and the pair's client endpoint (proxy/). The pair owns
 * every upstream session and subscription; nothing else opens a session to the pair's servers.
 */
export interface PairRuntime {
  readonly config: ServerPairConfig;
  /** Begins connecting per the mode; resolves once the attempt is under way (not once connected). */
  start(): Promise<void>;
  /** Closes sessions and timers; bounded in time even when a server hangs. */
  stop(): Promise<void>;
  snapshot(): PairSnapshot;
  /** The pair's operating figures (metrics/); optional until a pair measures them. */
  figures?(): PairOwnFigures;
  /** Makes the other side active now (an operator's forced switch), if it is usable. */
  forceFailover(): Promise<void>;
  /** The active side's session, for forwarding Read/Write/Browse/Call; undefined while no side is active. */
  activeSession(): ClientSession | undefined;
  readonly data: ForwardedData;
  readonly events: ForwardedEvents;
  /** The pair's namespace tables that outlive a session: the endpoint's (stable indexes) and the primary's last seen. */
  readonly namespaceStore: NamespaceStore;
  /** Each upstream session's namespace table, read once per session. */
  readonly sessionTables: SessionTables;
  /**
   * A session on the active side as this user (opened on first use, kept with the connection),
   * for what a logged-in client changes: "refused" when the server refuses the user, undefined
   * while no side is active or the server gave no answer.
   */
  activeSessionAs(user: string, password: string): Promise<ClientSession | "refused" | undefined>;
  /**
   * A side's session while it is connected, active or standby, for the endpoint's comparison of
   * the two namespaces (Browse/Read only; the pair still owns it). Optional until a pair offers it.
   */
  sideSession?(side: Side): ClientSession | undefined;
  /**
   * The endpoint's finding on the two namespaces (undefined: they agree). The pair shows it as
   * `snapshot().notSynced` and posts `pairNotSynced` when it changes.
   */
  reportNotSynced?(notSynced: { missingOnPrimary: string[]; missingOnSecondary: string[] } | undefined): void;
  /** The endpoint refused clients at one of its limits (detail: how many, and which limit); the pair posts endpointClientRefused. */
  reportClientRefused?(detail: string): void;
  on(event: "activeChanged", listener: (active: Side | null) => void): this;
  off(event: "activeChanged", listener: (active: Side | null) => void): this;
}

/** What the pair tells its host. */
export interface PairHooks {
  /** A runtime event (catalog kind, side for per-side kinds, fields for the text template). */
  postEvent(event: EventPost<Record<string, string | number>>): void;
  /** The snapshot changed (status, active side, a side's state, a monitor item). */
  onChanged(): void;
}

export interface ForwardedItemOptions {
  samplingInterval: number;
  queueSize: number;
  discardOldest: boolean;
}

export interface ForwardedItemHandle {
  remove(): void;
}

/**
 * Data forwarding: the endpoint asks for a node's values by identity (namespace URI and
 * identifier); the pair monitors it on the side(s) its mode says (cold/warm: the active side,
 * hot: both, the inactive one held back), each side in its own namespace numbering, and calls
 * `onValue` with values of the active side only, carrying the upstream source timestamps and
 * status codes, or a Bad status where the active side gives none (it refused the item, or no
 * side is active). Items survive failover: the pair re-creates or switches them.
 */
export interface ForwardedData {
  add(node: NodeIdentity, options: ForwardedItemOptions, onValue: (value: DataValue) => void): ForwardedItemHandle;
}

/**
 * Event forwarding (Alarms & Conditions): the pair monitors each event item on the active side
 * and moves it with every switch, asking the new side for a ConditionRefresh of that item.
 */
export interface ForwardedEvents {
  add(source: ForwardedEventSource): ForwardedEventHandle;
}

/** What the endpoint wants monitored, expressed for a given upstream session (whose namespace indices may differ). */
export interface ForwardedEventSource {
  on(session: ClientSession): Promise<UpstreamEventItem>;
}

export interface UpstreamEventItem {
  nodeId: NodeId;
  filter: EventFilter;
  queueSize: number;
  discardOldest: boolean;
  /** The event's fields, as the filter's select clauses asked, in that session's NodeIds. */
  onEvent(fields: Variant[]): void;
}

export interface ForwardedEventHandle {
  remove(): void;
  /** A client's ConditionRefresh, passed on for this item to the active side. */
  refresh(): Promise<StatusCode>;
}
