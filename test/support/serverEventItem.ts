import { AttributeIds, ObjectIds, TimestampsToReturn, constructEventFilter, makeNodeId, type ClientMonitoredItem, type ClientSession, type ClientSubscription } from "node-opcua";

/** A client's event item on the Server object with these select clauses, as an HMI's alarm list makes it: its own subscription (50 ms publishing), every event, a queue of `queueSize`. */
export async function serverEventItem(session: ClientSession, fields: readonly string[], queueSize: number): Promise<{ subscription: ClientSubscription; item: ClientMonitoredItem }> {
  const subscription = await session.createSubscription2({
    requestedPublishingInterval: 50,
    publishingEnabled: true,
    requestedMaxKeepAliveCount: 20,
    requestedLifetimeCount: 600,
    maxNotificationsPerPublish: 0,
  });
  const item = await subscription.monitor(
    { nodeId: makeNodeId(ObjectIds.Server), attributeId: AttributeIds.EventNotifier },
    { samplingInterval: 0, queueSize, discardOldest: true, filter: constructEventFilter([...fields]) },
    TimestampsToReturn.Neither,
  );
  return { subscription, item };
}
