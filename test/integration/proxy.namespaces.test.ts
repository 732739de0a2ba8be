import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  AttributeIds,
  DataType,
  HistoryData,
  HistoryReadRequest,
  ObjectIds,
  ReadRawModifiedDetails,
  TimestampsToReturn,
  constructEventFilter,
  makeNodeId,
  type ClientSession,
  type NodeId,
  type Variant,
} from "node-opcua";
import type { ConnectionMode } from "../../engine/src/config/model";
import type { Side } from "../../engine/src/events/catalog";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { SimNodes } from "../../engine/src/sim/simServer";
import { ProxyFixture, readValue, record, until, type Recorded } from "../support/proxyFixture";
import { startSims } from "../support/startSims";

// Ports 23410–23419 belong to this file.
const SIM_PORTS = [23410, 23411] as const;

/**
 * Two servers of one plant whose namespace tables differ: the secondary has a vendor namespace
 * before the plant's, so the plant is ns=2 on the primary and ns=3 on the secondary (as two
 * servers of one product with other plug-ins, or another start-up order, number it).
 */
const PLUGIN_A = "urn:vendor:plugin-a";
const PLUGIN_B = "urn:vendor:plugin-b";

interface Client {
  session: ClientSession;
  ns: number;
  counter: Recorded[];
  alarms: { eventId: Buffer; sourceName: string; message: string; conditionId: NodeId | null; at: number }[];
}

const other = (side: Side): Side => (side === "primary" ? "secondary" : "primary");

async function someSideActive(fx: ProxyFixture): Promise<Side> {
  await until("a side active", () => fx.pair.active !== null, 30_000);
  return fx.pair.active!;
}

async function activeIs(fx: ProxyFixture, side: Side): Promise<void> {
  await until(`the ${side} active`, () => fx.pair.active === side, 30_000).catch((error: Error) => {
    throw new Error(`${error.message}; events: ${fx.events.map((e) => `${e.id}${e.fields.detail ? ` (${e.fields.detail})` : ""}`).join(", ")}`);
  });
}

/** A client of the endpoint as an HMI uses it: the Counter subscribed (every change) and the Server's alarm list. */
async function endpointClient(fx: ProxyFixture): Promise<Client> {
  const { session, ns } = await fx.connect();
  const { values, subscription } = await record(session, `ns=${ns};s=${SimNodes.counter}`);
  const alarms: Client["alarms"] = [];
  const item = await subscription.monitor(
    { nodeId: makeNodeId(ObjectIds.Server), attributeId: AttributeIds.EventNotifier },
    { samplingInterval: 0, queueSize: 1000, filter: constructEventFilter(["EventId", "SourceName", "Message", "ConditionId"]) },
    TimestampsToReturn.Neither,
  );
  item.on("changed", (fields: Variant[]) => {
    const [eventId, sourceName, message, conditionId] = fields;
    alarms.push({
      eventId: eventId.value,
      sourceName: String(sourceName.value),
      message: String(message.value?.text ?? ""),
      conditionId: conditionId.dataType === DataType.NodeId ? conditionId.value : null,
      at: Date.now(),
    });
  });
  return { session, ns, counter: values, alarms };
}

/**
 * Everything a client does through the endpoint, served by `side`: the subscription keeps
 * delivering Good values, a write lands on that server, history and alarms come from it with
 * the endpoint's own namespace index and an Acknowledge (a Call) reaches its condition, whatever
 * index that server gives the plant.
 */
async function servedBy(fx: ProxyFixture, client: Client, side: Side): Promise<void> {
  if (fx.pair.active !== side) {
    await fx.pair.forceFailover();
    await activeIs(fx, side);
  }
  const since = Date.now();
  await until(`Counter values from the ${side}`, () => client.counter.filter((v) => v.at > since).length >= 10, 30_000);
  const after = client.counter.filter((v) => v.at > since);
  assert.deepEqual([...new Set(after.map((v) => v.status))], ["Good"], `Good values from the ${side}`);
  assert.equal((await readValue(client.session, `ns=${client.ns};s=${SimNodes.identity}`)).value.value, side);

  const direct = await fx.connectTo(fx.sim(side).url);
  const written = Math.round(Math.random() * 1e6) / 100;
  const status = await client.session.write({ nodeId: `ns=${client.ns};s=${SimNodes.tag}`, attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Double, value: written } } });
  assert.equal(status.name, "Good");
  assert.equal((await readValue(direct.session, `ns=${direct.ns};s=${SimNodes.tag}`)).value.value, written, `the write landed on the ${side} (plant ns=${direct.ns} there)`);

  const history = await client.session.historyRead(
    new HistoryReadRequest({
      historyReadDetails: new ReadRawModifiedDetails({ startTime: new Date(Date.now() - 3000), endTime: new Date(), numValuesPerNode: 100 }),
      timestampsToReturn: TimestampsToReturn.Source,
      nodesToRead: [{ nodeId: `ns=${client.ns};s=${SimNodes.counter}` }],
    }),
  );
  const result = history.results![0];
  assert.equal(result.statusCode.name, "Good");
  assert.ok(((result.historyData as HistoryData).dataValues ?? []).length >= 5, "the Counter's history of the last 3 s");

  const raised = Date.now();
  await fx.sim(side).set(SimNodes.level, 95);
  await until(`the ${side}'s Tank alarm`, () => client.alarms.some((e) => e.at >= raised && e.sourceName.endsWith("Tank") && e.message.includes("HighHigh")));
  const alarm = client.alarms.find((e) => e.at >= raised && e.message.includes("HighHigh"))!;
  assert.equal(alarm.conditionId?.toString(), `ns=${client.ns};s=${SimNodes.levelAlarm}`, "the ConditionId in the endpoint's namespace index");
  // Acknowledge is a Call on the Condition: its object goes upstream in that server's numbering.
  assert.equal((await client.session.acknowledgeCondition(alarm.conditionId!, alarm.eventId, "seen")).name, "Good");
  await until(`the acknowledgement from the ${side}`, () =>
    client.alarms.some((e) => e.at > alarm.at && e.message.includes("HighHigh") && e.eventId.toString("hex") !== alarm.eventId.toString("hex")),
  );
  await fx.sim(side).set(SimNodes.level, 50);
  assert.deepEqual(
    fx.events.filter((e) => e.kind === "forwardedItemRefused").map((e) => `${e.id} ${e.fields.items} ${e.fields.status}`),
    [],
    "no item refused",
  );
}

describe("proxy endpoint: servers whose namespace tables differ", () => {
  let sims: [SimProcess, SimProcess];
  before(async () => {
    const [primary, secondary] = await startSims([
      { port: SIM_PORTS[0], identity: "primary" },
      { port: SIM_PORTS[1], identity: "secondary", namespacesBefore: [PLUGIN_A] },
    ]);
    sims = [primary, secondary];
  });
  after(async () => {
    await Promise.all(sims?.map((s) => s.close()) ?? []);
  });

  const modes: ConnectionMode[] = ["cold", "warm"];
  modes.forEach((mode, i) => {
    it(`${mode}: subscriptions, writes, history and alarms from either side, each in its own numbering`, async () => {
      // A monitor item in the config names the Quality node as the primary numbers it (ns=2): the secondary must check its own ns=3.
      const items = mode === "warm" ? [{ id: `ns=2;s=${SimNodes.quality}`, trigger: "badQuality" as const, updateRateMs: 500 }] : [];
      const fx = await ProxyFixture.start({ mode, ports: [0, 0, 23412 + i], sims, config: { monitoring: { failureCount: 1, items } } });
      try {
        // The primary, unless it was too slow to answer first on a loaded machine (cold mode then stays on the secondary).
        const first = await someSideActive(fx);
        const client = await endpointClient(fx);
        await servedBy(fx, client, first);
        await servedBy(fx, client, other(first));
        if (mode === "warm") {
          const snapshot = fx.pair.snapshot();
          assert.deepEqual([snapshot.primary.monitorTest, snapshot.secondary.monitorTest], ["passed", "passed"], fx.events.map((e) => e.id).join(", "));
        }
      } finally {
        await fx.close();
      }
    });
  });

  it("hot: the standby's items follow its own numbering, also after it restarts with its namespaces in another order", async () => {
    const fx = await ProxyFixture.start({ mode: "hot", ports: [0, 0, 23414], sims });
    try {
      const first = await someSideActive(fx);
      const client = await endpointClient(fx);
      await servedBy(fx, client, first);
      await servedBy(fx, client, other(first));

      // The standby comes back with two vendor namespaces before the plant's, in another order than before.
      const standby = first;
      const sim = fx.sim(standby);
      const connected = fx.events.filter((e) => e.id === `connected.${standby}`).length;
      await sim.kill();
      await sim.restart(undefined, { namespacesBefore: [PLUGIN_B, PLUGIN_A] });
      await until(`the ${standby} reconnected`, () => fx.events.filter((e) => e.id === `connected.${standby}`).length > connected, 30_000);
      assert.equal((await fx.connectTo(sim.url)).ns, 4);
      await servedBy(fx, client, standby);
      await servedBy(fx, client, other(standby));
    } finally {
      await fx.close();
    }
  });
});
