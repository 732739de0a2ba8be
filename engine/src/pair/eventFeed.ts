import {
  AttributeIds,
  DataType,
  MethodIds,
  MonitoringMode,
  ObjectTypeIds,
  StatusCodes,
  TimestampsToReturn,
  makeNodeId,
  type ClientMonitoredItem,
  type ClientSession,
  type ClientSubscription,
  type StatusCode,
  type Variant,
} from "node-opcua";
import { bounded } from "../upstream/bounded";
import type { UpstreamSession } from "../upstream/upstreamSession";
import type { ForwardedEventHandle, ForwardedEvents, ForwardedEventSource, UpstreamEventItem } from "./pairRuntime";

/** Events are pushed as they come; the publishing interval only bounds how long one waits upstream. */
const PUBLISHING_INTERVAL_MS = 50;
const REQUEST_TIMEOUT_MS = 5000;
const RETRY_MS = 1000;

/** One event item the endpoint asked for, and where it is monitored now. */
interface Entry {
  source: ForwardedEventSource;
  live?: { upstream: UpstreamSession; subscription: ClientSubscription; monitored: ClientMonitoredItem };
  /** The item being created: a client's ConditionRefresh right after creating its item waits for it. */
  attaching?: Promise<void>;
}

/**
 * Forwarded events (Alarms & Conditions) follow the active side in every mode: an event item
 * lives on the active session only. Holding back the standby's events, as hot mode does for
 * values, would not make the client's picture complete, because Conditions carry state: after
 * every move to a new session the item asks that server for a ConditionRefresh, which replays
 * its Retained Conditions between a RefreshStart and a RefreshEnd event, so that the client's
 * condition list matches the server it is now served from.
 */
export class EventFeed implements ForwardedEvents {
  private readonly entries = new Set<Entry>();
  private upstream: UpstreamSession | undefined;
  private subscription: Promise<ClientSubscription | undefined> | undefined;

  add(source: ForwardedEventSource): ForwardedEventHandle {
    const entry: Entry = { source };
    this.entries.add(entry);
    // A client that creates an event item calls ConditionRefresh itself; only a later move refreshes for it.
    if (this.upstream) this.attach(entry, this.upstream, false);
    return {
      remove: () => {
        this.entries.delete(entry);
        this.detach(entry);
      },
      refresh: async () => {
        await entry.attaching;
        return this.conditionRefresh(entry);
      },
    };
  }

  /** The active side's session changed (another side, the same side reconnected, or none). */
  use(upstream: UpstreamSession | undefined): void {
    if (upstream === this.upstream) return;
    const old = this.subscription;
    this.upstream = upstream;
    this.subscription = undefined;
    for (const entry of this.entries) entry.live = undefined;
    void old?.then((s) => s && terminate(s));
    if (!upstream) return;
    for (const entry of this.entries) this.attach(entry, upstream, true);
  }

  async close(): Promise<void> {
    this.entries.clear();
    const subscription = await this.subscription;
    this.upstream = undefined;
    this.subscription = undefined;
    if (subscription) await terminate(subscription);
  }

  /** One subscription per session for all event items; a failed attempt is forgotten, so the next item's attempt asks again. */
  private subscriptionOn(upstream: UpstreamSession): Promise<ClientSubscription | undefined> {
    if (this.subscription) return this.subscription;
    const attempt: Promise<ClientSubscription | undefined> = upstream.subscribe(PUBLISHING_INTERVAL_MS).catch(() => {
      if (this.subscription === attempt) this.subscription = undefined;
      return undefined;
    });
    this.subscription = attempt;
    return attempt;
  }

  private attach(entry: Entry, upstream: UpstreamSession, refresh: boolean): void {
    const attaching = this.create(entry, upstream, refresh).finally(() => {
      if (entry.attaching === attaching) entry.attaching = undefined;
    });
    entry.attaching = attaching;
  }

  /** Creates the entry's item on the session; a side that fails here is caught by its status poll, so nothing is thrown. */
  private async create(entry: Entry, upstream: UpstreamSession, refresh: boolean): Promise<void> {
    const current = () => this.upstream === upstream && this.entries.has(entry);
    try {
      const subscription = await this.subscriptionOn(upstream);
      const session = upstream.session;
      if (!session || !current()) return;
      if (!subscription) {
        // A slow answer on a live session (a dead one is replaced, which ends this): try again shortly.
        setTimeout(() => {
          if (current()) this.attach(entry, upstream, refresh);
        }, RETRY_MS).unref();
        return;
      }
      const item = await entry.source.on(session);
      if (!current()) return;
      const monitored = await bounded(
        subscription.monitor(
          { nodeId: item.nodeId, attributeId: AttributeIds.EventNotifier },
          { samplingInterval: 0, queueSize: item.queueSize, discardOldest: item.discardOldest, filter: item.filter },
          TimestampsToReturn.Neither,
          MonitoringMode.Reporting,
        ),
        REQUEST_TIMEOUT_MS,
        "creating an event item",
      );
      if (!current()) {
        retire(monitored);
        return;
      }
      entry.live = { upstream, subscription, monitored };
      monitored.on("changed", (fields: Variant[]) => {
        if (entry.live?.monitored === monitored) deliver(item, fields);
      });
      if (refresh) await this.conditionRefresh(entry);
    } catch {
      // The item is created again at the next move; the client's own ConditionRefresh also reaches it.
    }
  }

  private detach(entry: Entry): void {
    const monitored = entry.live?.monitored;
    entry.live = undefined;
    if (monitored) retire(monitored);
  }

  /**
   * ConditionRefresh2 names the one item, so that the other clients' items see no extra refresh;
   * a server without it (OPC UA before 1.03) gets ConditionRefresh for the whole subscription.
   */
  private async conditionRefresh(entry: Entry): Promise<StatusCode> {
    const live = entry.live;
    const session = live?.upstream.session;
    if (!live || !session) return StatusCodes.BadNoCommunication;
    const { subscriptionId } = live.subscription;
    const one = await callConditionType(session, MethodIds.ConditionType_ConditionRefresh2, [subscriptionId, live.monitored.monitoredItemId as number]);
    if (one !== StatusCodes.BadMethodInvalid && one !== StatusCodes.BadNotImplemented && one !== StatusCodes.BadNodeIdUnknown) return one;
    return callConditionType(session, MethodIds.ConditionType_ConditionRefresh, [subscriptionId]);
  }
}

async function callConditionType(session: ClientSession, methodId: number, ids: number[]): Promise<StatusCode> {
  try {
    const result = await bounded(
      session.call({
        objectId: makeNodeId(ObjectTypeIds.ConditionType),
        methodId: makeNodeId(methodId),
        inputArguments: ids.map((value) => ({ dataType: DataType.UInt32, value })),
      }),
      REQUEST_TIMEOUT_MS,
      "ConditionRefresh",
    );
    return result.statusCode;
  } catch {
    return StatusCodes.BadCommunicationError;
  }
}

function deliver(item: UpstreamEventItem, fields: Variant[]): void {
  try {
    item.onEvent(fields);
  } catch {
    // The endpoint's failure on one event: the next one is still delivered.
  }
}

/** How long a disabled event item lives on, so that events the server had already sent for it arrive while node-opcua still knows it. */
const RETIRE_AFTER_MS = 1000;

/**
 * Ends an upstream event item without racing the events on their way to it: node-opcua's client
 * throws (an unhandled rejection, which would end the engine) on an event for an item it no
 * longer knows. Disabled first, the item gets nothing more queued upstream; it is deleted once
 * what was already sent has arrived (and been ignored: the item is no longer the entry's).
 */
function retire(monitored: ClientMonitoredItem): void {
  void monitored
    .setMonitoringMode(MonitoringMode.Disabled)
    .catch(() => undefined)
    .then(() => new Promise((done) => setTimeout(done, RETIRE_AFTER_MS).unref()))
    .then(() => monitored.terminate())
    .catch(() => undefined);
}

async function terminate(subscription: ClientSubscription): Promise<void> {
  subscription.removeAllListeners();
  await bounded(subscription.terminate(), 1000, "ending the event subscription").catch(() => undefined);
}
