import { DataValue, StatusCodes, type StatusCode } from "node-opcua";
import type { Side } from "../../events/catalog";
import type { NodeIdentity, SessionTables } from "../../namespaces/namespaceIdentity";
import type { UpstreamSession } from "../../upstream/upstreamSession";
import { SideFeed, type FeedListener, type Refusal } from "../sideFeed";
import type { FailoverMode, ForwardedItem, ModeHooks, ModePolicy } from "./failoverMode";

/** Per side: what its current session refused, and what was said about each node (kept across sessions, so a refusal is posted once per transition). */
interface SideRefusals {
  now: Map<ForwardedItem, StatusCode>;
  posted: Map<NodeIdentity, number>;
}

/** An event names at most this many items, then how many more. */
const ITEMS_NAMED = 5;

/**
 * What the three modes share: the set of forwarded items, one SideFeed per side that carries
 * them, and delivery of the active side's values. A mode says which sides carry feeds and what
 * it does with an inactive side's values. Where the active side gives no value, the endpoint
 * is given a Bad status instead, never silence: the status with which that side refused the
 * item (posted as `forwardedItemRefused` once per transition), or BadNoCommunication while no
 * side is active.
 */
export abstract class Forwarding implements FailoverMode {
  protected readonly items = new Set<ForwardedItem>();
  protected readonly up = new Map<Side, UpstreamSession>();
  protected readonly feeds = new Map<Side, SideFeed>();
  protected active: Side | null = null;
  /** Per item, the last value an upstream gave the endpoint. */
  protected readonly last = new Map<ForwardedItem, DataValue>();
  /** Items the endpoint shows a status of the mode's own (no side, a refusal) rather than an upstream value. */
  protected readonly showingStatus = new Set<ForwardedItem>();
  private readonly refusals: Record<Side, SideRefusals> = {
    primary: { now: new Map(), posted: new Map() },
    secondary: { now: new Map(), posted: new Map() },
  };
  private outage: NodeJS.Immediate | undefined;

  constructor(
    readonly policy: ModePolicy,
    private readonly hooks: ModeHooks,
    private readonly tables: SessionTables,
  ) {}

  /** Whether this side should carry the forwarded items now. */
  protected abstract wantsFeed(side: Side): boolean;

  /** A value from a side that is not active (hot mode keeps some; the others have none). */
  protected standbyValue(_side: Side, _item: ForwardedItem, _value: DataValue): void {}

  /** The side's feed has had every item's first value or refusal (hot mode's planned switch waits for it). */
  protected carrying(_side: Side): void {}

  /** Whether the side's feed has had every item's first value or refusal. */
  protected carries(side: Side): boolean {
    return this.feeds.get(side)?.carrying ?? false;
  }

  sideUp(side: Side, upstream: UpstreamSession): void {
    this.dropFeed(side);
    this.up.set(side, upstream);
    this.placeFeeds();
  }

  sideDown(side: Side): void {
    this.up.delete(side);
    this.dropFeed(side);
  }

  activate(side: Side | null): void {
    this.active = side;
    clearImmediate(this.outage);
    this.outage = undefined;
    this.placeFeeds();
    if (side === null) {
      // The pair passes through "no side" within one step when it promotes the other side at
      // once (a hot or warm switch): only a gap that outlasts the step is an outage.
      this.outage = setImmediate(() => {
        this.outage = undefined;
        if (this.active === null) for (const item of this.items) this.showStatus(item, StatusCodes.BadNoCommunication);
      });
      return;
    }
    for (const [item, status] of this.refusals[side].now) this.showStatus(item, status);
  }

  add(item: ForwardedItem): void {
    this.items.add(item);
    for (const feed of this.feeds.values()) feed.add(item);
  }

  remove(item: ForwardedItem): void {
    this.items.delete(item);
    this.last.delete(item);
    this.showingStatus.delete(item);
    for (const side of ["primary", "secondary"] as const) this.refusals[side].now.delete(item);
    for (const feed of this.feeds.values()) feed.remove(item);
  }

  async close(): Promise<void> {
    clearImmediate(this.outage);
    this.active = null;
    this.up.clear();
    this.last.clear();
    const feeds = [...this.feeds.values()];
    this.feeds.clear();
    await Promise.all(feeds.map((f) => f.close()));
  }

  upstreamItems(side: Side): number {
    return this.feeds.get(side)?.size ?? 0;
  }

  heldValues(): number {
    return 0;
  }

  /** Whether the side's current session refused the item. */
  protected refusedOn(side: Side, item: ForwardedItem): boolean {
    return this.refusals[side].now.has(item);
  }

  /** An active side's value: forwarded and remembered. */
  protected delivered(item: ForwardedItem, value: DataValue): void {
    this.last.set(item, value);
    this.showingStatus.delete(item);
    this.forward(item, value);
  }

  /** A Bad status of the mode's own for the item: the endpoint keeps the last value with it. */
  private showStatus(item: ForwardedItem, status: StatusCode): void {
    this.showingStatus.add(item);
    const now = new Date();
    this.forward(item, new DataValue({ statusCode: status, sourceTimestamp: now, serverTimestamp: now }));
  }

  /** Hands a value to the endpoint; the endpoint's callback never breaks the pair. */
  private forward(item: ForwardedItem, value: DataValue): void {
    try {
      item.onValue(value);
    } catch {
      // The consumer's own failure: the next value is still delivered.
    }
  }

  /** Gives each connected side that the mode wants carrying the items a feed, and takes it from the others. */
  private placeFeeds(): void {
    for (const side of ["primary", "secondary"] as const) {
      const upstream = this.up.get(side);
      if (upstream && this.wantsFeed(side)) {
        if (!this.feeds.has(side)) {
          const feed = new SideFeed(upstream, this.tables, this.listener(side, upstream));
          this.feeds.set(side, feed);
          for (const item of this.items) feed.add(item);
        }
      } else {
        this.dropFeed(side);
      }
    }
  }

  private listener(side: Side, upstream: UpstreamSession): FeedListener {
    return {
      value: (item, value) => {
        if (side === this.active) this.delivered(item, value);
        else this.standbyValue(side, item, value);
      },
      refused: (refusals) => this.refused(side, refusals),
      accepted: (items) => {
        for (const item of items) {
          this.refusals[side].now.delete(item);
          this.refusals[side].posted.delete(item.node);
        }
      },
      failed: (detail) => this.hooks.sideFailed(side, upstream, detail),
      carrying: () => this.carrying(side),
    };
  }

  private refused(side: Side, refusals: Refusal[]): void {
    const { now, posted } = this.refusals[side];
    const news = new Map<string, NodeIdentity[]>();
    for (const { item, status } of refusals) {
      if (!this.items.has(item)) continue;
      now.set(item, status);
      if (posted.get(item.node) !== status.value) {
        posted.set(item.node, status.value);
        news.set(status.name, [...(news.get(status.name) ?? []), item.node]);
      }
      if (side === this.active) this.showStatus(item, status);
    }
    for (const [status, nodes] of news) this.hooks.post("forwardedItemRefused", side, { items: describeItems(nodes), status });
  }

  private dropFeed(side: Side): void {
    this.refusals[side].now.clear();
    const feed = this.feeds.get(side);
    if (!feed) return;
    this.feeds.delete(side);
    void feed.close();
  }
}

function describeItems(nodes: NodeIdentity[]): string {
  const named = nodes.slice(0, ITEMS_NAMED).join(", ");
  return nodes.length > ITEMS_NAMED ? `${named} and ${nodes.length - ITEMS_NAMED} more` : named;
}
