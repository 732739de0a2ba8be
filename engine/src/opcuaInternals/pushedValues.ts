import { MonitoringMode, type DataValue, type MonitoredItem, type NumericRange } from "node-opcua";
import { publishWhenDue } from "./publishOnArrival";

type SamplingFunc = NonNullable<MonitoredItem["samplingFunc"]>;

/**
 * The sampling a client item asked for, as an upstream item should be asked: 0 (every change,
 * where the server can) for an item node-opcua serves exception-based, else its revised interval.
 */
export function requestedSampling(item: MonitoredItem): number {
  return item.isExceptionBased ? 0 : item.samplingInterval;
}

/** The most values held back for one item (a client that stopped publishing); beyond, the oldest go into its queue, where node-opcua's overflow rule applies. */
const MAX_HELD_BACK = 1000;

/**
 * A client's MonitoredItem on a variable whose values the endpoint pushes. It replaces, on the
 * item, node-opcua 2.186's MonitoredItem `samplingFunc` (assigned after the item is announced),
 * `setMonitoringMode`, `recordValue` (called with skipChangeTest for an enabled item's first value)
 * and `extractMonitoredItemNotifications` (what a publish takes the queue with). An item that samples
 * as fast as the upstream item the values come from (`upstreamInterval`; the fastest client item
 * sets it) gets each pushed value in its queue through recordValue, which applies the item's
 * filter, deadband and queue rules: node-opcua would otherwise sample the variable's latest value
 * and collapse a burst (hot mode's replay at a switch) into one. Such an item is pushed every
 * change of the variable, so its sampler is not let read it. A slower item keeps node-opcua's
 * sampling of the variable, at its own interval, as OPC UA defines it.
 *
 * The item's first value is node-opcua's read of the variable; until it is recorded, and while
 * the item is disabled, pushed values are not given (the first value is the variable's latest).
 * A reporting item whose queue (of more than one) is full holds further values back until the
 * next publish takes the queue, so a burst reaches the client whole and in order, and its
 * sampling timer then sees no change; a queue of one keeps the newest, as OPC UA defines it.
 */
export class PushedValues {
  private heldBack: DataValue[] = [];
  private awaitingFirst = true;
  /** What the item recorded last, as given (before an index range is applied). */
  private lastRecorded: DataValue | undefined;

  constructor(
    private readonly item: MonitoredItem,
    private readonly upstreamInterval: () => number,
  ) {
    let sampling: SamplingFunc | null = item.samplingFunc;
    const unchanged: SamplingFunc = (_context, _old, callback) => callback(null, this.lastRecorded!.clone());
    // node-opcua assigns its sampling function after announcing the item, so it is kept through a setter.
    Object.defineProperty(item, "samplingFunc", {
      configurable: true,
      get: () => (this.heldBack.length > 0 || (this.fed() && this.lastRecorded) ? unchanged : sampling),
      set: (func: SamplingFunc | null) => (sampling = func),
    });
    const setMonitoringMode = item.setMonitoringMode.bind(item);
    item.setMonitoringMode = (mode: MonitoringMode) => {
      const before = item.monitoringMode;
      const status = setMonitoringMode(mode);
      if (mode === MonitoringMode.Disabled) this.heldBack = [];
      else if (before === MonitoringMode.Invalid || before === MonitoringMode.Disabled) this.awaitingFirst = true;
      return status;
    };
    const recordValue = item.recordValue.bind(item);
    item.recordValue = (dataValue: DataValue, skipChangeTest?: boolean, indexRange?: NumericRange) => {
      const recorded = recordValue(dataValue, skipChangeTest, indexRange);
      if (recorded) this.lastRecorded = dataValue;
      // node-opcua records an enabled item's first value with the change test skipped; the pushed ones keep it.
      if (skipChangeTest) this.awaitingFirst = false;
      return recorded;
    };
    const extract = item.extractMonitoredItemNotifications.bind(item);
    item.extractMonitoredItemNotifications = (force?: boolean) => {
      const notifications = extract(force);
      this.refill();
      return notifications;
    };
  }

  /** Values waiting for the client's next publish: in the item's queue and held back. */
  get queued(): number {
    return this.item.queue.length + this.heldBack.length;
  }

  push(value: DataValue): void {
    const mode = this.item.monitoringMode;
    if (mode === MonitoringMode.Disabled || mode === MonitoringMode.Invalid || !this.fed()) return;
    if (!this.holdsBack()) return this.record(value);
    this.heldBack.push(value);
    if (this.heldBack.length > MAX_HELD_BACK) this.record(this.heldBack.shift()!);
  }

  /**
   * Whether pushed values reach the item's queue: its first value is recorded and it samples as
   * fast as the upstream item. Its sampler then has nothing to find, so it is given the recorded
   * value back instead of reading the variable (a read costs node-opcua its permission checks:
   * at 20,000 items, a sixth of the endpoint's work).
   */
  private fed(): boolean {
    return !this.awaitingFirst && requestedSampling(this.item) <= this.upstreamInterval();
  }

  private holdsBack(): boolean {
    const item = this.item;
    return item.monitoringMode === MonitoringMode.Reporting && item.queueSize > 1 && (this.heldBack.length > 0 || item.queue.length >= item.queueSize);
  }

  private refill(): void {
    while (this.heldBack.length > 0 && this.item.queue.length < this.item.queueSize) this.record(this.heldBack.shift()!);
  }

  private record(value: DataValue): void {
    this.item.recordValue(value.clone(), false);
    publishWhenDue(this.item);
  }
}
