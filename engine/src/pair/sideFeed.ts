import {
  AttributeIds, ClientMonitoredItemGroup, TimestampsToReturn, resolveNodeId,
  type ClientMonitoredItemBase, type ClientSubscription, type DataValue,
} from "node-opcua";
import type { UpstreamSession } from "../upstream/upstreamSession";
import type { ForwardedItem } from "./modes/failoverMode";

/** Publishing interval of the forwarding subscriptions: short, so that a switch and a value show quickly. */
const PUBLISHING_INTERVAL_MS = 50;

/**
 * The forwarded items' subscription on one side. Items added before the subscription exists
 * are monitored once it does; a side that fails here is caught by its status poll, so errors
 * are swallowed rather than thrown at the endpoint.
 */
export class SideFeed {
  private subscription: Promise<ClientSubscription | undefined>;
  /** Every item this feed carries, with its monitored item once created. */
  private readonly monitored = new Map<ForwardedItem, ClientMonitoredItemBase | undefined>();
  private pending: ForwardedItem[] = [];
  private flushing: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(upstream: UpstreamSession, private readonly deliver: (item: ForwardedItem, value: DataValue) => void) {
    this.subscription = upstream.subscribe(PUBLISHING_INTERVAL_MS).catch(() => undefined);
  }

  /** Items added together (all of them at a warm or cold switch) are created in one request per parameter set. */
  add(item: ForwardedItem): void {
    if (this.closed || this.monitored.has(item)) return;
    this.monitored.set(item, undefined);
    this.pending.push(item);
    this.flushing ??= setImmediate(() => void this.flush());
  }

  remove(item: ForwardedItem): void {
    const monitoredItem = this.monitored.get(item);
    this.monitored.delete(item);
    this.pending = this.pending.filter((i) => i !== item);
    monitoredItem?.terminate().catch(() => undefined);
  }

  /** Ends the subscription; the session itself belongs to the side. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearImmediate(this.flushing);
    this.monitored.clear();
    this.pending = [];
    const subscription = await this.subscription;
    if (!subscription) return;
    subscription.removeAllListeners();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([subscription.terminate().catch(() => undefined), new Promise((done) => (timer = setTimeout(done, 1000)))]);
    clearTimeout(timer);
  }

  private async flush(): Promise<void> {
    this.flushing = undefined;
    const subscription = await this.subscription;
    const batch = this.pending.filter((item) => this.monitored.has(item) && isNodeId(item.nodeId));
    this.pending = [];
    if (!subscription || this.closed || batch.length === 0) return;
    const byParameters = new Map<string, ForwardedItem[]>();
    for (const item of batch) {
      const o = item.options;
      const key = `${o.samplingInterval}/${o.queueSize}/${o.discardOldest}`;
      byParameters.set(key, [...(byParameters.get(key) ?? []), item]);
    }
    for (const items of byParameters.values()) this.monitorGroup(subscription, items);
  }

  private monitorGroup(subscription: ClientSubscription, items: ForwardedItem[]): void {
    const o = items[0].options;
    const group = ClientMonitoredItemGroup.create(
      subscription,
      items.map((item) => ({ nodeId: item.nodeId, attributeId: AttributeIds.Value })),
      { samplingInterval: o.samplingInterval, queueSize: Math.max(o.queueSize, 1), discardOldest: o.discardOldest },
      TimestampsToReturn.Both,
    );
    group.monitoredItems.forEach((monitoredItem, index) => {
      const item = items[index];
      if (this.monitored.has(item)) this.monitored.set(item, monitoredItem);
      else void monitoredItem.terminate().catch(() => undefined);
    });
    group.on("changed", (_monitoredItem: ClientMonitoredItemBase, value: DataValue, index: number) => {
      const item = items[index];
      if (!this.closed && this.monitored.has(item)) this.deliver(item, value);
    });
    group.on("err", () => undefined);
  }
}

/** A node id the endpoint passes on that node-opcua cannot parse would break the whole batch: it is left out. */
function isNodeId(nodeId: string): boolean {
  try {
    resolveNodeId(nodeId);
    return true;
  } catch {
    return false;
  }
}
