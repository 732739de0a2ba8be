import type { DataValue } from "node-opcua";
import type { Side } from "../../events/catalog";
import type { ForwardedItem, ModePolicy } from "./failoverMode";
import { Forwarding } from "./forwarding";
import { sameReading, sourceTime } from "./dataValues";

/** Hot: the items subscribed on both sides, the inactive side's values held back; a switch only changes which stream is forwarded. */
export const HOT: ModePolicy = { mode: "hot", bothSidesConnected: true };

/** How far back the inactive side's values are kept, at least: enough to cover the time a failure takes to detect. */
export const HOT_BUFFER_MIN_MS = 3000;

export class HotFailover extends Forwarding {
  /** Per item, the inactive side's recent values, oldest first. */
  private readonly buffers = new Map<Side, Map<ForwardedItem, DataValue[]>>();
  private readonly last = new Map<ForwardedItem, DataValue>();

  /** @param horizonMs how long the pair may take to notice a failure (status interval + timeout and some). */
  constructor(private readonly horizonMs = HOT_BUFFER_MIN_MS) {
    super(HOT);
  }

  protected wantsFeed(): boolean {
    return true;
  }

  /**
   * At the switch, the new side's values that the old side had not delivered yet (newer source
   * timestamp) go out first, so the consumer sees no gap while the failure was being detected.
   */
  override activate(side: Side | null): void {
    // With no side active every value is held, so the side promoted next finds its recent past.
    if (side === null) return super.activate(null);
    const buffered = this.buffers.get(side);
    this.buffers.clear();
    super.activate(side);
    if (!buffered) return;
    for (const [item, values] of buffered) {
      if (!this.items.has(item)) continue;
      const since = this.last.get(item);
      for (const value of values) {
        if (since && sourceTime(value) <= sourceTime(since)) continue;
        // A data-change subscription reports changes only: the same reading again is no news.
        if (this.last.get(item) && sameReading(this.last.get(item)!, value)) continue;
        this.delivered(item, value);
      }
    }
  }

  override remove(item: ForwardedItem): void {
    super.remove(item);
    this.last.delete(item);
    for (const perSide of this.buffers.values()) perSide.delete(item);
  }

  override sideDown(side: Side): void {
    this.buffers.delete(side);
    super.sideDown(side);
  }

  override async close(): Promise<void> {
    this.buffers.clear();
    this.last.clear();
    await super.close();
  }

  protected override held(side: Side, item: ForwardedItem, value: DataValue): void {
    let perSide = this.buffers.get(side);
    if (!perSide) this.buffers.set(side, (perSide = new Map()));
    let values = perSide.get(item);
    if (!values) perSide.set(item, (values = []));
    values.push(value);
    const horizon = sourceTime(value) - Math.max(this.horizonMs, HOT_BUFFER_MIN_MS);
    while (values.length > 1 && sourceTime(values[0]) < horizon) values.shift();
  }

  protected override delivered(item: ForwardedItem, value: DataValue): void {
    this.last.set(item, value);
    this.forward(item, value);
  }
}
