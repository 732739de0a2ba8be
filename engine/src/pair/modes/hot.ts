import type { DataValue } from "node-opcua";
import type { Side } from "../../events/catalog";
import type { SessionTables } from "../../namespaces/namespaceIdentity";
import type { ForwardedItem, ModeHooks, ModePolicy } from "./failoverMode";
import { Forwarding } from "./forwarding";
import { BOTH_SIDES_RULES } from "./bothSidesRules";
import { sameReading, sourceTime } from "./dataValues";

/** Hot: the items subscribed on both sides, the inactive side's values held back; a switch only changes which stream is forwarded. */
export const HOT: ModePolicy = { mode: "hot", bothSidesConnected: true, rules: BOTH_SIDES_RULES };

/** How far back the inactive side's values are kept, at least: enough to cover the time a failure takes to detect. */
export const HOT_BUFFER_MIN_MS = 3000;

/**
 * How long a new side's current value that is no news by source time (older, yet another
 * reading: a value that does not change there, or that side's next sample still to come) waits
 * for a newer value from that side before it is delivered as it is.
 */
const CURRENT_VALUE_WAIT_MS = 1000;

/**
 * How long a planned switch waits for the new side to carry every item before it switches
 * anyway: a server that never sends some item's first value does not keep the stream on the side
 * the pair has left. Long, as creating tens of thousands of items takes a while.
 */
const PLANNED_SWITCH_WAIT_MS = 60_000;

export class HotFailover extends Forwarding {
  /** Per item, the inactive side's recent values the active side has not delivered (and its newest), oldest first. */
  private readonly buffers = new Map<Side, Map<ForwardedItem, DataValue[]>>();
  /** The new side's current value of an item, waiting (see CURRENT_VALUE_WAIT_MS). */
  private readonly waiting = new Map<ForwardedItem, NodeJS.Timeout>();
  /** A planned switch waiting for its side to carry every item. */
  private planned: { side: Side; timer: NodeJS.Timeout } | undefined;

  /** @param horizonMs how long the pair may take to notice a failure (status interval + timeout and a publishing interval, with some to spare). */
  constructor(
    hooks: ModeHooks,
    tables: SessionTables,
    private readonly horizonMs = HOT_BUFFER_MIN_MS,
  ) {
    super(HOT, hooks, tables);
  }

  protected wantsFeed(): boolean {
    return true;
  }

  /**
   * A planned switch (a failback, an operator's) leaves a side that still delivers, to a side that
   * may have just connected and not yet have the items' first values (creating thousands takes a
   * while): the side being left goes on delivering until the new one carries every item, then the
   * switch replays what the new side has had since, so no value falls between the two streams.
   */
  override activate(side: Side | null): void {
    const leaving = this.active;
    if (side !== null && leaving !== null && side !== leaving && this.up.has(leaving) && !this.carries(side)) {
      this.cancelPlanned();
      this.planned = { side, timer: setTimeout(() => this.switchTo(side), PLANNED_SWITCH_WAIT_MS) };
      return;
    }
    this.switchTo(side);
  }

  /**
   * At the switch, every value of the new side newer than the last one delivered (by source
   * timestamp, and another reading than it) goes out first, in order, so the consumer sees no
   * gap while the failure was being detected. An item with no such value gets the new side's
   * current value: at once when the endpoint shows a status of the mode's own, else after a
   * short wait for a newer one.
   */
  private switchTo(side: Side | null): void {
    this.cancelPlanned();
    // With no side active every value is held, so the side promoted next finds its recent past.
    if (side === null) return super.activate(null);
    const buffered = this.buffers.get(side);
    this.buffers.clear();
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    super.activate(side);
    for (const item of this.items) {
      if (this.refusedOn(side, item)) continue;
      const values = buffered?.get(item) ?? [];
      const current = values.at(-1);
      // An item that never had a value gets the new side's current one, not its recent past.
      const replay = this.last.has(item) ? values : values.slice(-1);
      let replayed = false;
      for (const value of replay) {
        if (!this.isNews(item, value)) continue;
        this.delivered(item, value);
        replayed = true;
      }
      if (!replayed && current) this.offerCurrent(side, item, current);
    }
  }

  override remove(item: ForwardedItem): void {
    super.remove(item);
    clearTimeout(this.waiting.get(item));
    this.waiting.delete(item);
    for (const perSide of this.buffers.values()) perSide.delete(item);
  }

  override sideDown(side: Side): void {
    this.buffers.delete(side);
    super.sideDown(side);
    const planned = this.planned;
    if (!planned) return;
    // The side being left is gone: the switch cannot wait. The side switched to is gone: the switch is off.
    if (planned.side === side) this.cancelPlanned();
    else if (side === this.active) this.switchTo(planned.side);
  }

  override async close(): Promise<void> {
    this.cancelPlanned();
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    this.buffers.clear();
    await super.close();
  }

  override heldValues(): number {
    let held = 0;
    for (const perSide of this.buffers.values()) for (const values of perSide.values()) held += values.length;
    return held;
  }

  protected override carrying(side: Side): void {
    if (this.planned?.side === side) this.switchTo(side);
  }

  protected override standbyValue(side: Side, item: ForwardedItem, value: DataValue): void {
    let perSide = this.buffers.get(side);
    if (!perSide) this.buffers.set(side, (perSide = new Map()));
    let values = perSide.get(item);
    if (!values) perSide.set(item, (values = []));
    values.push(value);
    // An item sampled slowly keeps one sample more than the horizon holds.
    const horizon = sourceTime(value) - Math.max(this.horizonMs, HOT_BUFFER_MIN_MS) - item.options.samplingInterval;
    // What the active side has delivered is never replayed (see isNews): while it delivers, the
    // buffer holds what it has not yet, not the whole horizon (at 20,000 items, ten values each).
    const delivered = this.last.get(item);
    const covered = delivered ? sourceTime(delivered) : -Infinity;
    while (values.length > 1 && (sourceTime(values[0]) < horizon || sourceTime(values[0]) <= covered)) values.shift();
  }

  protected override delivered(item: ForwardedItem, value: DataValue): void {
    clearTimeout(this.waiting.get(item));
    this.waiting.delete(item);
    super.delivered(item, value);
  }

  /** Newer than the last value delivered, by source timestamp, and not the same reading again (a data change subscription reports changes). */
  private isNews(item: ForwardedItem, value: DataValue): boolean {
    const last = this.last.get(item);
    return !last || (sourceTime(value) > sourceTime(last) && !sameReading(last, value));
  }

  private cancelPlanned(): void {
    clearTimeout(this.planned?.timer);
    this.planned = undefined;
  }

  private offerCurrent(side: Side, item: ForwardedItem, current: DataValue): void {
    const last = this.last.get(item);
    if (!last || this.showingStatus.has(item)) return this.delivered(item, current);
    if (sameReading(last, current)) return;
    this.waiting.set(
      item,
      setTimeout(
        () => {
          this.waiting.delete(item);
          if (this.active === side && this.items.has(item)) this.delivered(item, current);
        },
        Math.max(CURRENT_VALUE_WAIT_MS, 2 * item.options.samplingInterval),
      ),
    );
  }
}
