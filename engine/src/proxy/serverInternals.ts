import {
  DataValue,
  MonitoringMode,
  ReadValueId,
  StatusCodes,
  type HistoryReadFunc,
  type ISessionContext,
  type MonitoredItem,
  type NumericRange,
  type OPCUAServer,
  type StatusCode,
  type StatusCodeCallback,
  type UAVariable,
  type Variant,
} from "node-opcua";

/**
 * Every use the endpoint makes of node-opcua server internals: members that are not part of its
 * documented API, or that the endpoint replaces on an instance. They live here alone, so that an
 * upgrade of node-opcua is checked in one place: test/unit/serverInternals.test.ts exercises each
 * of them against a real server and fails when one changes.
 */

interface VariableInternals {
  $dataValue: DataValue;
  verifyVariantCompatibility(value: Variant): void;
  writeValue(context: ISessionContext, dataValue: DataValue, indexRange: NumericRange | null, callback: StatusCodeCallback): void;
  _historyRead: HistoryReadFunc;
}

/** The variable's cached DataValue itself (not a copy): handing it back to node-opcua tells it nothing changed. */
export function cachedValue(variable: UAVariable): DataValue {
  return (variable as unknown as VariableInternals).$dataValue;
}

/**
 * Makes a value the variable's cache without a change event, so that node-opcua's own monitored
 * items do not sample it (the endpoint pushes values to them, see PushedValues). A value whose
 * type does not fit the variable (the upstream changed its type) becomes BadTypeMismatch with the
 * last value kept, never an exception. Returns what the cache holds now.
 */
export function adoptValue(variable: UAVariable, value: DataValue): DataValue {
  const internals = variable as unknown as VariableInternals;
  let adopted = value;
  try {
    if (value.statusCode.isGoodish()) internals.verifyVariantCompatibility(value.value);
  } catch {
    adopted = new DataValue({ value: internals.$dataValue.value, statusCode: StatusCodes.BadTypeMismatch, sourceTimestamp: new Date(), serverTimestamp: new Date() });
  }
  internals.$dataValue = adopted;
  return adopted;
}

/**
 * Replaces the variable's Write: node-opcua's setters record the written value locally even when
 * the upstream refuses it, so the write goes upstream alone and its status is the answer (`write`
 * never rejects: a failure is its status).
 */
export function forwardWrites(variable: UAVariable, write: (context: ISessionContext, dataValue: DataValue, indexRange: NumericRange | null) => Promise<StatusCode>): void {
  (variable as unknown as VariableInternals).writeValue = (context, dataValue, indexRange, callback) => {
    void write(context, dataValue, indexRange).then((status) => callback(null, status));
  };
}

/** Replaces the variable's history read (call it after bindVariable, which resets it to node-opcua's default). */
export function forwardHistoryReads(variable: UAVariable, read: HistoryReadFunc): void {
  (variable as unknown as VariableInternals)._historyRead = read;
}

type Engine = OPCUAServer["engine"];

/**
 * Wraps the engine's HistoryRead, and keeps node-opcua from refreshing the current value of
 * each node a HistoryRead asks for (for a mirrored variable an upstream Read whose answer
 * nothing uses: a third of a forwarded HistoryRead's time).
 */
export function aroundHistoryRead(
  engine: Engine,
  around: (run: () => ReturnType<Engine["historyRead"]>, context: Parameters<Engine["historyRead"]>[0], request: Parameters<Engine["historyRead"]>[1]) => ReturnType<Engine["historyRead"]>,
): void {
  const refreshValues = engine.refreshValues.bind(engine);
  engine.refreshValues = (nodes, maxAge, callback) => {
    const reads = (nodes as unknown[]).filter((node): node is ReadValueId => node instanceof ReadValueId);
    refreshValues(reads, maxAge, callback);
  };
  const historyRead = engine.historyRead.bind(engine);
  engine.historyRead = (context, request) => around(() => historyRead(context, request), context, request);
}

/** Queues an event's fields in the client's event item, with its queue size and discard policy. */
export function enqueueEvent(item: MonitoredItem, fields: Variant[]): void {
  (item as unknown as { _enqueue_event(fields: Variant[]): void })._enqueue_event(fields);
}

/** node-opcua's server MonitoredItem emits nothing when a client's ModifyMonitoredItems changes it: its modify() is wrapped. */
export function onModify(item: MonitoredItem, modified: () => void): void {
  const modify = item.modify.bind(item);
  item.modify = (...args: Parameters<MonitoredItem["modify"]>) => {
    const result = modify(...args);
    modified();
    return result;
  };
}

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
 * A client's MonitoredItem on a variable whose values the endpoint pushes. An item that samples
 * as fast as the upstream item the values come from (`upstreamInterval`; the fastest client item
 * sets it) gets each pushed value in its queue through recordValue, which applies the item's
 * filter, deadband and queue rules: node-opcua would otherwise sample the variable's latest value
 * and collapse a burst (hot mode's replay at a switch) into one. A slower item keeps
 * node-opcua's sampling of the variable, at its own interval, as OPC UA defines it.
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
      get: () => (this.heldBack.length > 0 ? unchanged : sampling),
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
    const item = this.item;
    const mode = item.monitoringMode;
    if (this.awaitingFirst || mode === MonitoringMode.Disabled || mode === MonitoringMode.Invalid) return;
    if (requestedSampling(item) > this.upstreamInterval()) return;
    if (!this.holdsBack()) return this.record(value);
    this.heldBack.push(value);
    if (this.heldBack.length > MAX_HELD_BACK) this.record(this.heldBack.shift()!);
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
  }
}
