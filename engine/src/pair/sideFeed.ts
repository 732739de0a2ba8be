import {
  AttributeIds,
  ClientMonitoredItemGroup,
  StatusCodes,
  TimestampsToReturn,
  resolveNodeId,
  type ClientMonitoredItemBase,
  type ClientSubscription,
  type DataValue,
  type NodeId,
  type StatusCode,
} from "node-opcua";
import { nodeIdIn, type SessionTables } from "../namespaces/namespaceIdentity";
import type { UpstreamSession } from "../upstream/upstreamSession";
import type { ForwardedItem } from "./modes/failoverMode";
import { errorMessage } from "../errorMessage";
import { listeningTimeout } from "../upstream/listeningClock";
import { deleteMonitoredItems } from "../opcuaInternals";
import { chunks, readOperationLimits, type OperationLimits } from "../upstream/operationLimits";

/** Publishing interval of the forwarding subscriptions: short, so that a switch and a value show quickly. */
const PUBLISHING_INTERVAL_MS = 50;

/** How long the watchdog waits, once its window is over, for messages a stalled event loop has not read yet. */
const STALL_GRACE_MS = 2 * PUBLISHING_INTERVAL_MS;

/** An item one side would not monitor, and the status it gave (or BadNodeIdUnknown for a namespace it lacks). */
export interface Refusal {
  item: ForwardedItem;
  status: StatusCode;
}

/** What a feed reports to its mode. */
export interface FeedListener {
  value(item: ForwardedItem, value: DataValue): void;
  refused(refusals: Refusal[]): void;
  /** Items the side monitors now (a refusal of them before is over). */
  accepted(items: ForwardedItem[]): void;
  /** The side cannot carry the items: its subscription was refused, ended, or fell silent. */
  failed(detail: string): void;
  /** Every item the feed carries has had its first value or its refusal: the side could take over the stream without a gap. */
  carrying(): void;
}

/**
 * The forwarded items' subscription on one side. Each item's NodeId is made for this session's
 * own namespace table. Items added before the subscription exists are monitored once it does.
 * Nothing fails silently: an item the server refuses (or whose namespace it lacks) is reported
 * with its status, and a subscription that is refused, ended by the server, or neither delivers
 * nor keeps alive within its keep-alive window plus the status timeout (a watchdog) fails the side.
 */
export class SideFeed {
  private readonly subscription: Promise<ClientSubscription | undefined>;
  /** Every item this feed carries, with its monitored item once created. */
  private readonly monitored = new Map<ForwardedItem, ClientMonitoredItemBase | undefined>();
  private pending = new Set<ForwardedItem>();
  /** Monitored items to delete upstream, in one request per MaxMonitoredItemsPerCall (a client that leaves takes all its items at once). */
  private deleting: ClientMonitoredItemBase[] = [];
  /** Items whose first value (or refusal) has not come yet. */
  private readonly awaitingFirst = new Set<ForwardedItem>();
  private flushing: NodeJS.Immediate | undefined;
  private deletingSoon: NodeJS.Immediate | undefined;
  private stopWindow = () => {};
  /** The watchdog's verdict, due once its window is over and the grace has passed. */
  private verdict: NodeJS.Timeout | undefined;
  private closed = false;
  private hasFailed = false;
  /** The server's operation limits, read at the first flush. */
  private limits: Promise<OperationLimits> | undefined;

  constructor(
    private readonly upstream: UpstreamSession,
    private readonly tables: SessionTables,
    private readonly listener: FeedListener,
  ) {
    this.subscription = upstream.subscribe(PUBLISHING_INTERVAL_MS).then(
      (subscription) => {
        if (!this.closed) this.watch(subscription);
        return subscription;
      },
      (error: unknown) => {
        this.fail(`the forwarding subscription could not be created (${errorMessage(error)})`);
        return undefined;
      },
    );
  }

  /** Items added together (all of them at a warm or cold switch) are created in one request per parameter set and per MaxMonitoredItemsPerCall of the server. */
  add(item: ForwardedItem): void {
    if (this.closed || this.monitored.has(item)) return;
    this.monitored.set(item, undefined);
    this.awaitingFirst.add(item);
    this.pending.add(item);
    this.flushing ??= setImmediate(() => void this.flush());
  }

  /** Items the feed carries: monitored, being created, or refused by the server. */
  get size(): number {
    return this.monitored.size;
  }

  /** Every item has had its first value from this side, or its refusal. */
  get carrying(): boolean {
    return this.awaitingFirst.size === 0;
  }

  remove(item: ForwardedItem): void {
    const monitoredItem = this.monitored.get(item);
    this.monitored.delete(item);
    this.pending.delete(item);
    if (monitoredItem) this.deleteUpstream(monitoredItem);
    this.answered(item);
  }

  /** Ends the subscription; the session itself belongs to the side. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearImmediate(this.flushing);
    clearImmediate(this.deletingSoon);
    this.stopWatching();
    this.monitored.clear();
    this.awaitingFirst.clear();
    this.pending.clear();
    this.deleting = [];
    const subscription = await this.subscription;
    if (!subscription) return;
    subscription.removeAllListeners();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([subscription.terminate().catch(() => undefined), new Promise((done) => (timer = setTimeout(done, 1000)))]);
    clearTimeout(timer);
  }

  /**
   * The server sends a keep-alive after maxKeepAliveCount publishing intervals without data: a
   * subscription that sends neither for that long, plus the status timeout for a slow answer, is dead.
   */
  private watch(subscription: ClientSubscription): void {
    const windowMs = subscription.publishingInterval * subscription.maxKeepAliveCount + this.upstream.options.statusTimeoutMs;
    // The window is counted in time the engine could hear the server (a stall of its own is not
    // the server's); and once it is over, the verdict waits for messages already received to be read.
    const confirm = () => (this.verdict = setTimeout(() => this.fail(`no data and no keep-alive from the forwarding subscription within ${windowMs} ms`), STALL_GRACE_MS));
    const heard = () => {
      this.stopWatching();
      if (!this.closed) this.stopWindow = listeningTimeout(windowMs, confirm);
    };
    subscription.on("keepalive", heard);
    subscription.on("received_notifications", heard);
    subscription.on("status_changed", (status: StatusCode) => {
      if (status.isNotGood()) this.fail(`the server ended the forwarding subscription (${status.name})`);
    });
    heard();
  }

  private stopWatching(): void {
    this.stopWindow();
    clearTimeout(this.verdict);
  }

  private answered(item: ForwardedItem): void {
    if (this.awaitingFirst.delete(item) && this.awaitingFirst.size === 0 && !this.closed) this.listener.carrying();
  }

  private refuse(refusals: Refusal[]): void {
    this.listener.refused(refusals);
    for (const { item } of refusals) this.answered(item);
  }

  private fail(detail: string): void {
    if (this.closed || this.hasFailed) return;
    this.hasFailed = true;
    this.stopWatching();
    this.listener.failed(detail);
  }

  private async flush(): Promise<void> {
    this.flushing = undefined;
    const subscription = await this.subscription;
    const batch = [...this.pending].filter((item) => this.monitored.has(item));
    this.pending.clear();
    const session = this.upstream.session;
    if (!subscription || !session || this.closed || batch.length === 0) return;
    let table: string[];
    let perCall: number;
    try {
      table = await this.tables.table(session);
      perCall = (await (this.limits ??= readOperationLimits(session))).monitoredItems;
    } catch (error) {
      this.fail(`the server's namespace table or operation limits could not be read (${errorMessage(error)})`);
      return;
    }
    const refused: Refusal[] = [];
    const byParameters = new Map<string, { item: ForwardedItem; nodeId: NodeId }[]>();
    for (const item of batch) {
      if (!this.monitored.has(item)) continue;
      const nodeId = parseNodeId(nodeIdIn(item.node, table));
      if (!nodeId) {
        refused.push({ item, status: StatusCodes.BadNodeIdUnknown });
        continue;
      }
      const o = item.options;
      const key = `${o.samplingInterval}/${o.queueSize}/${o.discardOldest}`;
      let group = byParameters.get(key);
      if (!group) byParameters.set(key, (group = []));
      group.push({ item, nodeId });
    }
    if (this.closed) return;
    if (refused.length > 0) this.refuse(refused);
    // A request beyond the server's MaxMonitoredItemsPerCall would be refused whole: a switch creates every item at once.
    for (const entries of byParameters.values()) for (const part of chunks(entries, perCall)) this.monitorGroup(subscription, part);
  }

  private deleteUpstream(monitoredItem: ClientMonitoredItemBase): void {
    this.deleting.push(monitoredItem);
    this.deletingSoon ??= setImmediate(() => void this.flushDeletions());
  }

  /** Deletes upstream what was removed in one turn of the event loop. A closed feed sends nothing: the subscription's end deletes what is left. */
  private async flushDeletions(): Promise<void> {
    this.deletingSoon = undefined;
    const batch = this.deleting;
    this.deleting = [];
    const session = this.upstream.session;
    if (this.closed || !session) return;
    let perCall: number;
    try {
      perCall = (await (this.limits ??= readOperationLimits(session))).monitoredItems;
    } catch {
      // The side is failing (its session answers nothing): its subscription goes with it.
      return;
    }
    for (const part of chunks(batch, perCall)) await deleteMonitoredItems(part);
  }

  private monitorGroup(subscription: ClientSubscription, entries: { item: ForwardedItem; nodeId: NodeId }[]): void {
    const o = entries[0].item.options;
    let group: ClientMonitoredItemGroup;
    try {
      group = ClientMonitoredItemGroup.create(
        subscription,
        entries.map(({ nodeId }) => ({ nodeId, attributeId: AttributeIds.Value })),
        { samplingInterval: o.samplingInterval, queueSize: Math.max(o.queueSize, 1), discardOldest: o.discardOldest },
        TimestampsToReturn.Both,
      );
    } catch {
      // node-opcua throws at once when the session closed meanwhile (a lost side): its successor's feed carries the items.
      return;
    }
    group.monitoredItems.forEach((monitoredItem, index) => {
      const { item } = entries[index];
      if (this.monitored.has(item)) this.monitored.set(item, monitoredItem);
      else this.deleteUpstream(monitoredItem);
    });
    group.on("changed", (_monitoredItem: ClientMonitoredItemBase, value: DataValue, index: number) => {
      const { item } = entries[index];
      if (this.closed || !this.monitored.has(item)) return;
      this.listener.value(item, value);
      this.answered(item);
    });
    group.on("initialized", () => {
      if (this.closed) return;
      const accepted: ForwardedItem[] = [];
      const refused: Refusal[] = [];
      group.monitoredItems.forEach((monitoredItem, index) => {
        const { item } = entries[index];
        if (!this.monitored.has(item)) return;
        if (monitoredItem.statusCode.isGood()) accepted.push(item);
        else refused.push({ item, status: monitoredItem.statusCode });
      });
      if (accepted.length > 0) this.listener.accepted(accepted);
      if (refused.length > 0) this.refuse(refused);
    });
    group.on("err", (message: string) => {
      if (this.closed) return;
      // A status the server answered the whole request with refuses every item; anything else (a timeout, a lost connection) is the side failing.
      const status = statusIn(message);
      if (!status) return this.fail(`creating forwarded items failed (${message})`);
      this.refuse(entries.filter(({ item }) => this.monitored.has(item)).map(({ item }) => ({ item, status })));
    });
  }
}

/** The NodeId of a text node-opcua can parse; undefined otherwise (a namespace the server lacks, a malformed identifier). */
function parseNodeId(text: string | undefined): NodeId | undefined {
  if (text === undefined) return undefined;
  try {
    return resolveNodeId(text);
  } catch {
    return undefined;
  }
}

/** Statuses that say the session or its connection failed, not that the server refused the items. */
const SIDE_FAILING = /^Bad(Timeout|RequestTimeout|CommunicationError|ConnectionClosed|Session|SecureChannel|TcpSecureChannel|ServerNotConnected|Shutdown)/;

/** The Bad status code named in node-opcua's error text for a refused request (BadTooManyMonitoredItems …), if any. */
function statusIn(message: string): StatusCode | undefined {
  const name = /\bBad[A-Za-z]+/.exec(message)?.[0];
  const code = name ? (StatusCodes as unknown as Record<string, StatusCode | undefined>)[name] : undefined;
  return code && !SIDE_FAILING.test(name!) ? code : undefined;
}
