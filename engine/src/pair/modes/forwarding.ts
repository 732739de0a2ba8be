import type { DataValue } from "node-opcua";
import type { Side } from "../../events/catalog";
import type { UpstreamSession } from "../../upstream/upstreamSession";
import { SideFeed } from "../sideFeed";
import type { FailoverMode, ForwardedItem, ModePolicy } from "./failoverMode";

/**
 * What the three modes share: the set of forwarded items, one SideFeed per side that carries
 * them, and delivery of the active side's values. A mode says which sides carry feeds and what
 * it does with an inactive side's values.
 */
export abstract class Forwarding implements FailoverMode {
  protected readonly items = new Set<ForwardedItem>();
  protected readonly up = new Map<Side, UpstreamSession>();
  protected readonly feeds = new Map<Side, SideFeed>();
  protected active: Side | null = null;

  constructor(readonly policy: ModePolicy) {}

  /** Whether this side should carry the forwarded items now. */
  protected abstract wantsFeed(side: Side): boolean;

  /** A value from a side that is not active (hot mode keeps some; the others have none). */
  protected held(_side: Side, _item: ForwardedItem, _value: DataValue): void {}

  sideUp(side: Side, upstream: UpstreamSession): void {
    this.dropFeed(side);
    this.up.set(side, upstream);
    this.arrange();
  }

  sideDown(side: Side): void {
    this.up.delete(side);
    this.dropFeed(side);
  }

  activate(side: Side | null): void {
    this.active = side;
    this.arrange();
  }

  add(item: ForwardedItem): void {
    this.items.add(item);
    for (const feed of this.feeds.values()) feed.add(item);
  }

  remove(item: ForwardedItem): void {
    this.items.delete(item);
    for (const feed of this.feeds.values()) feed.remove(item);
  }

  async close(): Promise<void> {
    this.active = null;
    this.up.clear();
    const feeds = [...this.feeds.values()];
    this.feeds.clear();
    await Promise.all(feeds.map((f) => f.close()));
  }

  /** Hands a value to the endpoint; the endpoint's callback never breaks the pair. */
  protected forward(item: ForwardedItem, value: DataValue): void {
    try {
      item.onValue(value);
    } catch {
      // The consumer's own failure: the next value is still delivered.
    }
  }

  private arrange(): void {
    for (const side of ["primary", "secondary"] as const) {
      const upstream = this.up.get(side);
      if (upstream && this.wantsFeed(side)) {
        if (!this.feeds.has(side)) {
          const feed = new SideFeed(upstream, (item, value) => this.receive(side, item, value));
          this.feeds.set(side, feed);
          for (const item of this.items) feed.add(item);
        }
      } else {
        this.dropFeed(side);
      }
    }
  }

  private receive(side: Side, item: ForwardedItem, value: DataValue): void {
    if (side === this.active) this.delivered(item, value);
    else this.held(side, item, value);
  }

  /** An active side's value: forwarded (hot mode also remembers where the stream stands). */
  protected delivered(item: ForwardedItem, value: DataValue): void {
    this.forward(item, value);
  }

  private dropFeed(side: Side): void {
    const feed = this.feeds.get(side);
    if (!feed) return;
    this.feeds.delete(side);
    void feed.close();
  }
}
