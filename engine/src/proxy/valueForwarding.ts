import { AttributeIds, DataValue, sameDataValue, type CallbackT, type MonitoredItem, type OPCUAServer, type UAVariable } from "node-opcua";
import type { EndpointFigures } from "../metrics/metricsCollector";
import type { NodeIdentity } from "../namespaces/namespaceIdentity";
import type { ForwardedItemHandle, PairRuntime } from "../pair/pairRuntime";
import { adoptValue, cachedValue, onModify, PushedValues, requestedSampling } from "../opcuaInternals";
import { followMonitoredItems } from "./monitoredItems";
import { keepType } from "./outageValue";
import type { UpstreamIds } from "./upstreamIds";
import { UpstreamReads } from "./upstreamReads";

/** A mirrored variable that at least one downstream monitored item watches: its values come from the pair. */
interface ForwardedVariable {
  variable: UAVariable;
  identity: NodeIdentity;
  /** The client items on the variable, each with the hand-off that pushes the pair's values into its queue. */
  items: Map<MonitoredItem, PushedValues>;
  /** The upstream item's sampling: the fastest client item's (requestedSampling). */
  samplingInterval: number;
  /** Set right after the entry is made (its callback counts into the entry). */
  handle?: ForwardedItemHandle;
  /** Values from the pair applied to the variable so far. */
  notifications: number;
  /** Upstream reads of the value in flight: values from the pair wait for them (see refresh). */
  reading: number;
  held: DataValue[];
  /**
   * What such a read answered, until a newer value comes from the pair: the pair's values until
   * then are that value again or older ones (sampled before the read, published after it).
   */
  answered?: DataValue;
}

/**
 * Forwards the values of mirrored variables from the pair's active side: Read (from the forwarded
 * value while the variable is monitored, else a Read upstream) and monitored items (each watched
 * variable is one forwarded item of the pair, by the node's identity, sampled as fast as its
 * fastest downstream monitored item and removed with the last). Every value the pair forwards goes
 * into each client item's queue (PushedValues), so none is lost to node-opcua's re-sampling; the
 * pair's Bad statuses (a refused item, no side active) reach the clients the same way.
 */
export class ValueForwarding {
  private readonly variables = new Map<string, { variable: UAVariable; identity: NodeIdentity }>();
  private readonly forwarded = new Map<string, ForwardedVariable>();
  private readonly reads: UpstreamReads;

  constructor(
    private readonly pair: PairRuntime,
    private readonly ids: UpstreamIds,
  ) {
    this.reads = new UpstreamReads(() => pair.activeSession(), ids);
    pair.on("activeChanged", this.onActiveChanged);
  }

  dispose(): void {
    this.pair.off("activeChanged", this.onActiveChanged);
    for (const entry of this.forwarded.values()) entry.handle?.remove();
    this.forwarded.clear();
  }

  /** Binds a mirrored variable's Read to the active side (node-opcua's bindVariable resets its HistoryRead: bind that after). */
  bindVariable(variable: UAVariable): void {
    const identity = this.ids.identityOf(variable.nodeId);
    if (identity) this.variables.set(variable.nodeId.toString(), { variable, identity });
    variable.bindVariable({ refreshFunc: (callback) => this.refresh(variable, callback) }, true);
  }

  /** Follows the server's subscriptions, so that monitored mirrored variables are forwarded. */
  attach(server: OPCUAServer): void {
    followMonitoredItems(server, {
      added: (item, itemToMonitor) => {
        if (itemToMonitor.attributeId === AttributeIds.Value) this.watch(item);
      },
      removed: (item) => this.unwatch(item),
    });
  }

  /** The clients' items on forwarded variables, and the values waiting in their queues (metrics). */
  figures(): EndpointFigures {
    let downstreamItems = 0;
    let clientQueuedValues = 0;
    for (const entry of this.forwarded.values()) {
      downstreamItems += entry.items.size;
      for (const pushed of entry.items.values()) clientQueuedValues += pushed.queued;
    }
    return { downstreamItems, clientQueuedValues };
  }

  private watch(item: MonitoredItem): void {
    const key = item.node?.nodeId.toString();
    const known = key && this.variables.get(key);
    if (!known) return;
    // A client's ModifyMonitoredItems may change the fastest sampling interval on the variable.
    onModify(item, () => {
      const entry = this.forwarded.get(key);
      if (entry?.items.has(item)) this.resample(entry);
    });
    // The hand-off asks its entry (it lasts as long as its items) on every value and sampler tick: no lookup by key.
    let entry = this.forwarded.get(key);
    const pushed = new PushedValues(item, () => entry?.samplingInterval ?? requestedSampling(item));
    if (entry) {
      entry.items.set(item, pushed);
      this.resample(entry);
      return;
    }
    entry = { ...known, items: new Map([[item, pushed]]), samplingInterval: requestedSampling(item), notifications: 0, reading: 0, held: [] };
    entry.handle = this.forward(entry, item);
    this.forwarded.set(key, entry);
  }

  /**
   * The upstream item samples as fast as the fastest downstream item on its variable: when that
   * changes, a new upstream item is made first and the old one removed after, so no value is lost between.
   */
  private resample(entry: ForwardedVariable): void {
    let fastest: MonitoredItem | undefined;
    for (const item of entry.items.keys()) if (!fastest || requestedSampling(item) < requestedSampling(fastest)) fastest = item;
    if (!fastest || requestedSampling(fastest) === entry.samplingInterval) return;
    const old = entry.handle;
    entry.samplingInterval = requestedSampling(fastest);
    entry.handle = this.forward(entry, fastest);
    old?.remove();
  }

  private forward(entry: ForwardedVariable, item: MonitoredItem): ForwardedItemHandle {
    return this.pair.data.add(entry.identity, { samplingInterval: requestedSampling(item), queueSize: item.queueSize, discardOldest: item.discardOldest }, (value) => {
      if (entry.reading > 0) entry.held.push(value);
      else this.applyNewer(entry, value);
    });
  }

  /** A value from the pair: the variable's cache (for Read), then every client item's queue. */
  private apply(entry: ForwardedVariable, value: DataValue): void {
    entry.notifications++;
    const adopted = adoptValue(entry.variable, forClients(keepType(entry.variable, value)));
    for (const pushed of entry.items.values()) pushed.push(adopted);
  }

  /** A value from the pair, unless it is what a read already gave or older (see ForwardedVariable.answered). */
  private applyNewer(entry: ForwardedVariable, value: DataValue): void {
    if (entry.answered) {
      if (notNewer(value, entry.answered)) return;
      entry.answered = undefined;
    }
    this.apply(entry, value);
  }

  private release(entry: ForwardedVariable): void {
    const held = entry.held;
    entry.held = [];
    for (const value of held) this.applyNewer(entry, value);
  }

  private unwatch(item: MonitoredItem): void {
    const key = item.node?.nodeId.toString();
    const entry = key && this.forwarded.get(key);
    if (!entry || !entry.items.delete(item)) return;
    if (entry.items.size > 0) {
      this.resample(entry);
      return;
    }
    entry.handle?.remove();
    this.forwarded.delete(key);
  }

  private readonly onActiveChanged = (): void => {
    // Another side's values are not measured against what this side answered.
    for (const entry of this.forwarded.values()) entry.answered = undefined;
  };

  private refresh(variable: UAVariable, callback: CallbackT<DataValue>): void {
    const entry = this.forwarded.get(variable.nodeId.toString());
    if (!entry) {
      void this.reads.read(variable.nodeId).then((value) => callback(null, keepType(variable, value)));
      return;
    }
    if (entry.notifications > 0 && this.pair.activeSession()) {
      callback(null, cachedValue(variable));
      return;
    }
    // The pair has no value for a newly watched variable yet (its cache is what the mirror read,
    // perhaps from the other side), so the value is read upstream. node-opcua records a new
    // monitored item's first value from this answer and also from any change event while it
    // waits: the answer becomes the cache without a change event, and values from the pair wait
    // until it is given, so the client gets each value once. The items on the variable that
    // already have their first value do not sample the cache (PushedValues): it is pushed to them.
    entry.reading++;
    void this.reads.read(variable.nodeId).then((value) => {
      entry.answered = adoptValue(variable, keepType(variable, value));
      callback(null, entry.answered);
      for (const pushed of entry.items.values()) pushed.push(entry.answered);
      if (--entry.reading === 0) this.release(entry);
    });
  }
}

/** The upstream's value, status and source time, with the endpoint's own server timestamp. */
function forClients(value: DataValue): DataValue {
  return new DataValue({
    value: value.value,
    statusCode: value.statusCode,
    sourceTimestamp: value.sourceTimestamp ?? new Date(),
    sourcePicoseconds: value.sourcePicoseconds,
    serverTimestamp: new Date(),
  });
}

/** The same value with the same source time, or an older source time (a value without one is never older). */
function notNewer(value: DataValue, than: DataValue): boolean {
  if (sameDataValue(value, than)) return true;
  const at = value.sourceTimestamp?.getTime();
  const thanAt = than.sourceTimestamp?.getTime();
  return at !== undefined && thanAt !== undefined && at < thanAt;
}
