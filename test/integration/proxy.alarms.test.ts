import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AttributeIds, DataType, MethodIds, ObjectTypeIds, makeBrowsePath, makeNodeId, type ClientSession, type ClientSubscription, type NodeId, type Variant } from "node-opcua";
import { SimNodes } from "../../engine/src/sim/simServer";
import { ProxyFixture, until } from "../support/proxyFixture";
import { serverEventItem } from "../support/serverEventItem";

// Ports 23090–23099 belong to this file.

const FIELDS = ["EventId", "EventType", "SourceName", "Message", "Severity", "AckedState.Id", "ConditionId"] as const;
const REFRESH_START = makeNodeId(ObjectTypeIds.RefreshStartEventType).toString();
const REFRESH_END = makeNodeId(ObjectTypeIds.RefreshEndEventType).toString();

interface ReceivedEvent {
  eventId: Buffer;
  eventType: string;
  sourceName: string;
  message: string;
  acked: boolean | null;
  conditionId: NodeId | null;
  at: number;
}

/** A client's event item on the Server object, as an HMI's alarm list makes it. */
async function alarmList(session: ClientSession): Promise<{ events: ReceivedEvent[]; subscription: ClientSubscription; itemId: number }> {
  const { subscription, item } = await serverEventItem(session, FIELDS, 1000);
  const events: ReceivedEvent[] = [];
  item.on("changed", (fields: Variant[]) => {
    const [eventId, eventType, sourceName, message, , acked, conditionId] = fields.map((f) => f.value);
    events.push({
      eventId,
      eventType: String(eventType),
      sourceName: String(sourceName),
      message: String(message?.text ?? ""),
      acked: typeof acked === "boolean" ? acked : null,
      conditionId: fields[6].dataType === DataType.NodeId ? conditionId : null,
      at: Date.now(),
    });
  });
  return { events, subscription, itemId: item.monitoredItemId as number };
}

// node-opcua's SourceName is the source's browse name with its namespace index ("2:Tank").
const fromTank = (e: ReceivedEvent) => e.sourceName.endsWith("Tank");
async function conditionRefresh(session: ClientSession, subscriptionId: number) {
  const result = await session.call({
    objectId: makeNodeId(ObjectTypeIds.ConditionType),
    methodId: makeNodeId(MethodIds.ConditionType_ConditionRefresh),
    inputArguments: [{ dataType: DataType.UInt32, value: subscriptionId }],
  });
  return result.statusCode;
}

const isAlarm = (e: ReceivedEvent) => fromTank(e) && e.message.includes("HighHigh");

/** The events between the first RefreshStart and RefreshEnd received after `since`, or undefined while the bracket is open. */
function bracketAfter(events: ReceivedEvent[], since: number): ReceivedEvent[] | undefined {
  const later = events.filter((e) => e.at >= since);
  const start = later.findIndex((e) => e.eventType === REFRESH_START);
  const end = later.findIndex((e, i) => i > start && e.eventType === REFRESH_END);
  return start >= 0 && end > start ? later.slice(start + 1, end) : undefined;
}

describe("proxy endpoint: Alarms & Conditions", () => {
  let fx: ProxyFixture;
  let session: ClientSession;
  let ns: number;
  let list: Awaited<ReturnType<typeof alarmList>>;

  before(async () => {
    fx = await ProxyFixture.start({ mode: "hot", ports: [23090, 23091, 23092] });
    ({ session, ns } = await fx.connect());
    await until("a side active", () => fx.pair.active !== null);
    list = await alarmList(session);
    // What an alarm list does after creating its item; it returns once the item is live upstream.
    assert.equal((await conditionRefresh(session, list.subscription.subscriptionId)).name, "Good");
    // Both servers of a redundant pair read the same plant: the level rises on both.
    await Promise.all([fx.primary.set(SimNodes.level, 95), fx.secondary.set(SimNodes.level, 95)]);
  });
  after(async () => {
    await fx?.close();
  });

  it("forwards the upstream's alarm with its fields, the ConditionId in the endpoint's namespaces", async () => {
    await until("the HighHigh alarm through the endpoint", () => list.events.some(isAlarm));
    const alarm = list.events.find(isAlarm)!;
    assert.equal(alarm.eventType, makeNodeId(ObjectTypeIds.ExclusiveLimitAlarmType).toString());
    assert.equal(alarm.acked, false);
    assert.equal(alarm.conditionId?.toString(), `ns=${ns};s=${SimNodes.levelAlarm}`);
    assert.equal(alarm.eventId.length > 0, true);
  });

  it("passes a client's ConditionRefresh on: the active condition comes again between RefreshStart and RefreshEnd", async () => {
    const since = Date.now();
    assert.equal((await conditionRefresh(session, list.subscription.subscriptionId)).name, "Good");
    await until("the refresh bracket", () => bracketAfter(list.events, since) !== undefined);
    const replayed = bracketAfter(list.events, since)!;
    assert.deepEqual(replayed.map(fromTank), [true], `replayed: ${replayed.map((e) => e.message).join(" / ")}`);
    assert.ok(isAlarm(replayed[0]));
  });

  it("ConditionRefresh of a subscription that is not the client's is refused as the standard says", async () => {
    assert.equal((await conditionRefresh(session, list.subscription.subscriptionId + 1000)).name, "BadSubscriptionIdInvalid");
  });

  it("Acknowledge through the endpoint acknowledges the condition on the active server", async () => {
    const alarm = list.events.filter(isAlarm).at(-1)!;
    const status = await session.acknowledgeCondition(alarm.conditionId!, alarm.eventId, "seen by the operator");
    assert.equal(status.name, "Good");
    await until("the acknowledged state through the endpoint", () => list.events.some((e) => e.at > alarm.at && fromTank(e) && e.acked === true));
    const onActive = await fx.connectTo(fx.sim(fx.pair.active!).url);
    const path = await onActive.session.translateBrowsePath(makeBrowsePath(`ns=${onActive.ns};s=${SimNodes.levelAlarm}`, "/AckedState/Id"));
    const idNode = path.targets?.[0]?.targetId;
    assert.ok(idNode, `the sim's condition has AckedState.Id (${path.statusCode.name})`);
    const value = await onActive.session.read({ nodeId: idNode.toString(), attributeId: AttributeIds.Value });
    assert.equal(value.value.value, true, "acknowledged on the server itself");
  });

  it("after a crash of the active side, the other side's conditions arrive in a refresh the client did not have to ask for", async () => {
    const crashed = fx.pair.active!;
    const crashedAt = Date.now();
    await fx.sim(crashed).kill();
    await until("the refresh bracket from the other side", () => bracketAfter(list.events, crashedAt) !== undefined, 30_000);
    const replayed = bracketAfter(list.events, crashedAt)!;
    assert.notEqual(fx.pair.active, crashed);
    assert.deepEqual(replayed.map(fromTank), [true], `replayed: ${replayed.map((e) => e.message).join(" / ")}`);
    // The acknowledgement was the crashed server's: the client now sees the other server's own state of the condition.
    assert.equal(replayed[0].acked, false);
    assert.ok(isAlarm(replayed[0]));

    const since = Date.now();
    await fx.sim(fx.pair.active!).set(SimNodes.level, 50);
    await until("the alarm's return to normal, from the new side", () => list.events.some((e) => e.at >= since && fromTank(e) && !e.message.includes("HighHigh")));
  });
});
