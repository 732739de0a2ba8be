import type { MonitoredItem, OPCUAServer, ReadValueId } from "node-opcua";

export interface MonitoredItemListener {
  added(item: MonitoredItem, itemToMonitor: ReadValueId): void;
  removed(item: MonitoredItem): void;
}

/** Follows every monitored item the endpoint's clients create and delete, in every session and subscription. */
export function followMonitoredItems(server: OPCUAServer, listener: MonitoredItemListener): void {
  server.on("create_session", (session) => {
    session.on("new_subscription", (subscription) => {
      subscription.on("monitoredItem", (item: MonitoredItem, itemToMonitor: ReadValueId) => listener.added(item, itemToMonitor));
      subscription.on("removeMonitoredItem", (item: MonitoredItem) => listener.removed(item));
    });
  });
}
