import { AttributeIds, TimestampsToReturn, type ClientMonitoredItemBase, type ClientSession, type ClientSubscription, type DataValue } from "node-opcua";
import { SimNodes } from "../../../engine/src/sim/simServer";
import type { CounterSample } from "../../support/switchFigures";

export type { CounterSample };

export interface LoadHandlers {
  counter(sample: CounterSample): void;
  /** Every other item's update (the bulk load), counted by the caller if it wants. */
  item?(index: number): void;
  /** ServerStatus.State of the server (only asked for when given). */
  serverState?(state: number): void;
}

const SERVER_STATE = "i=2259";

/**
 * The load every benchmark client carries, with or without the engine in between: one
 * subscription (50 ms publishing) with the sims' Counter first and then `items` bulk items
 * (`Items.Item_0000` …, at the sims' rate), all in one CreateMonitoredItems request, as an HMI
 * that opens a screen does.
 */
export async function subscribeLoad(session: ClientSession, ns: number, items: number, on: LoadHandlers): Promise<ClientSubscription> {
  const subscription = await session.createSubscription2({
    requestedPublishingInterval: 50,
    publishingEnabled: true,
    requestedMaxKeepAliveCount: 10,
    requestedLifetimeCount: 600,
    maxNotificationsPerPublish: 0,
  });
  const nodes = [`ns=${ns};s=${SimNodes.counter}`, ...Array.from({ length: items }, (_, i) => `ns=${ns};s=${SimNodes.items}${String(i).padStart(4, "0")}`), ...(on.serverState ? [SERVER_STATE] : [])];
  const group = await subscription.monitorItems(
    nodes.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })),
    // Sampling interval 0: every change is reported. With a sampling interval the server samples
    // the latest value instead, and a burst (hot mode's replay after a switch) collapses into one.
    { samplingInterval: 0, queueSize: 10, discardOldest: true },
    TimestampsToReturn.Both,
  );
  group.on("changed", (_item: ClientMonitoredItemBase, dv: DataValue, index: number) => {
    if (index === 0) {
      if (dv.statusCode.isGood()) on.counter({ value: Number(dv.value.value), sourceTime: dv.sourceTimestamp?.getTime() ?? 0, at: Date.now() });
    } else if (index <= items) on.item?.(index - 1);
    else if (dv.statusCode.isGood()) on.serverState?.(Number(dv.value.value));
  });
  return subscription;
}
