import { DataType, MethodIds, ObjectTypeIds, makeNodeId, type ClientSession, type Variant } from "node-opcua";
import type { SimProcess } from "../../../engine/src/sim/simProcess";
import { SimNodes } from "../../../engine/src/sim/simServer";
import { serverEventItem } from "../../support/serverEventItem";

/**
 * The Tank level is moved across its HighHigh limit and back `rounds` times on both sims (both
 * servers of a pair watch the same plant); each move raises one alarm event. A client of the
 * endpoint and a client of the primary each have an event item on the Server object, and each
 * event's latency is its Time field to its arrival.
 */
export async function alarmLatency(proxy: ClientSession, direct: ClientSession, sims: SimProcess[], rounds: number): Promise<{ proxy: number[]; direct: number[] }> {
  const [throughProxy, straight] = await Promise.all([watchAlarms(proxy), watchAlarms(direct)]);
  // What the refresh replays carries the condition's old Time: let it arrive, then count from zero.
  await new Promise((r) => setTimeout(r, 500));
  throughProxy.latencies.length = 0;
  straight.latencies.length = 0;
  for (let i = 0; i < rounds; i++) {
    await Promise.all(sims.map((sim) => sim.set(SimNodes.level, i % 2 === 0 ? 95 : 50)));
    await new Promise((r) => setTimeout(r, 250));
  }
  await new Promise((r) => setTimeout(r, 1000));
  await Promise.all([throughProxy.stop(), straight.stop()]);
  return { proxy: throughProxy.latencies, direct: straight.latencies };
}

async function watchAlarms(session: ClientSession): Promise<{ latencies: number[]; stop(): Promise<void> }> {
  const { subscription, item } = await serverEventItem(session, ["Time", "SourceName"], 100);
  const latencies: number[] = [];
  item.on("changed", (fields: Variant[]) => {
    const [time, source] = fields.map((f) => f.value);
    if (String(source).endsWith("Tank") && time instanceof Date) latencies.push(Date.now() - time.getTime());
  });
  // What an alarm list does first; through the endpoint it also returns only once the item is live upstream.
  await session.call({
    objectId: makeNodeId(ObjectTypeIds.ConditionType),
    methodId: makeNodeId(MethodIds.ConditionType_ConditionRefresh),
    inputArguments: [{ dataType: DataType.UInt32, value: subscription.subscriptionId }],
  });
  return { latencies, stop: () => subscription.terminate() };
}
