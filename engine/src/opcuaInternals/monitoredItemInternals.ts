import type { MonitoredItem, Variant } from "node-opcua";

/**
 * Queues an event's fields in the client's event item, with its queue size and discard policy.
 * node-opcua 2.186's server MonitoredItem: the private `_enqueue_event(eventFields)`.
 */
export function enqueueEvent(item: MonitoredItem, fields: Variant[]): void {
  (item as unknown as { _enqueue_event(fields: Variant[]): void })._enqueue_event(fields);
}

/**
 * node-opcua's server MonitoredItem emits nothing when a client's ModifyMonitoredItems changes it:
 * its `modify()` (node-opcua 2.186: what the subscription calls for each modified item) is wrapped.
 */
export function onModify(item: MonitoredItem, modified: () => void): void {
  const modify = item.modify.bind(item);
  item.modify = (...args: Parameters<MonitoredItem["modify"]>) => {
    const result = modify(...args);
    modified();
    return result;
  };
}
