import {
  AttributeIds, ClientMonitoredItem, TimestampsToReturn,
  type ClientSubscription, type DataValue,
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
  private readonly monitored = new Map<ForwardedItem, Promise<ClientMonitoredItem | undefined>>();
  private closed = false;

  constructor(upstream: UpstreamSession, private readonly deliver: (item: ForwardedItem, value: DataValue) => void) {
    this.subscription = upstream.subscribe(PUBLISHING_INTERVAL_MS).catch(() => undefined);
  }

  add(item: ForwardedItem): void {
    if (this.closed || this.monitored.has(item)) return;
    this.monitored.set(item, this.monitor(item));
  }

  remove(item: ForwardedItem): void {
    const pending = this.monitored.get(item);
    this.monitored.delete(item);
    void pending?.then((m) => m?.terminate()).catch(() => undefined);
  }

  /** Ends the subscription; the session itself belongs to the side. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.monitored.clear();
    const subscription = await this.subscription;
    if (!subscription) return;
    subscription.removeAllListeners();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([subscription.terminate().catch(() => undefined), new Promise((done) => (timer = setTimeout(done, 1000)))]);
    clearTimeout(timer);
  }

  private async monitor(item: ForwardedItem): Promise<ClientMonitoredItem | undefined> {
    const subscription = await this.subscription;
    if (!subscription || this.closed || this.monitored.get(item) === undefined) return undefined;
    const monitoredItem = ClientMonitoredItem.create(
      subscription,
      { nodeId: item.nodeId, attributeId: AttributeIds.Value },
      { samplingInterval: item.options.samplingInterval, queueSize: Math.max(item.options.queueSize, 1), discardOldest: item.options.discardOldest },
      TimestampsToReturn.Both,
    );
    monitoredItem.on("changed", (value: DataValue) => {
      if (!this.closed && this.monitored.has(item)) this.deliver(item, value);
    });
    monitoredItem.on("err", () => undefined);
    return monitoredItem;
  }
}
