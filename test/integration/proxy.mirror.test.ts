import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AttributeIds, BrowseDirection, NodeClass, type ClientSession } from "node-opcua";
import { readUpstreamNamespace } from "../../engine/src/proxy/upstreamNamespace";
import { SIM_NAMESPACE } from "../../engine/src/sim/simServer";
import { ProxyFixture, readValue, record, until } from "../support/proxyFixture";

// Ports 23000–23009 belong to this file.
describe("proxy endpoint: the mirrored namespace", () => {
  let fx: ProxyFixture;
  let proxy: { session: ClientSession; ns: number };
  let direct: { session: ClientSession; ns: number };

  before(async () => {
    fx = await ProxyFixture.start({
      mode: "warm",
      ports: [23000, 23001, 23002],
      items: 300,
      primaryExtra: ["OnlyOnPrimary"],
      secondaryExtra: ["OnlyOnSecondary"],
    });
    await fx.primaryActiveFirst();
    proxy = await fx.connect();
    direct = await fx.connectTo(fx.primary.url);
  });

  after(async () => {
    await fx?.close();
  });

  /** Children of a node as `<nodeId without ns> <browse name> <node class>`, so that two servers' namespace indexes do not matter. */
  async function children(target: { session: ClientSession; ns: number }, name: string): Promise<string[]> {
    const result = await target.session.browse({ nodeId: `ns=${target.ns};s=${name}`, browseDirection: BrowseDirection.Forward, resultMask: 0x3f });
    return (result.references ?? [])
      .filter((r) => r.nodeId.namespace === target.ns)
      .map((r) => `${String(r.nodeId.value)} ${r.browseName.name} ${NodeClass[r.nodeClass]}`)
      .sort();
  }

  it("registers the sim's namespace URI and serves its nodes under the same identifiers", async () => {
    assert.ok(proxy.ns > 0, "the proxy's namespace table has the sim's URI");
    assert.equal((await proxy.session.readNamespaceArray())[proxy.ns], SIM_NAMESPACE);
    const expected = (await children(direct, "Simulation")).filter((c) => !c.startsWith("OnlyOn"));
    const served = await children(proxy, "Simulation");
    for (const child of expected) assert.ok(served.includes(child), `${child} is served; served: ${served.join(", ")}`);
    assert.deepEqual((await children(proxy, "Items")).length, 300);
  });

  it("copies data type, value rank, access levels and display name", async () => {
    const attributes = [AttributeIds.DataType, AttributeIds.ValueRank, AttributeIds.AccessLevel, AttributeIds.UserAccessLevel, AttributeIds.DisplayName, AttributeIds.NodeClass];
    for (const name of ["Channel_1.Device_1.Tag_1", "Array", "Counter"]) {
      const read = async (t: typeof proxy) => (await t.session.read(attributes.map((attributeId) => ({ nodeId: `ns=${t.ns};s=${name}`, attributeId })))).map((dv) => dv.value.toString());
      assert.deepEqual(await read(proxy), await read(direct), name);
    }
  });

  it("reads the values of the active side", async () => {
    assert.equal((await readValue(proxy.session, `ns=${proxy.ns};s=Identity`)).value.value, "primary");
    const counter = await readValue(proxy.session, `ns=${proxy.ns};s=Counter`);
    assert.equal(counter.statusCode.name, "Good");
    assert.ok(Math.abs(Number(counter.value.value) - (Math.floor(Date.now() / 100) >>> 0)) < 50, "a fresh counter, not the one seen at mirror time");
    const many = await proxy.session.read(Array.from({ length: 300 }, (_, i) => ({ nodeId: `ns=${proxy.ns};s=Items.Item_${String(i).padStart(4, "0")}`, attributeId: AttributeIds.Value })));
    assert.deepEqual([...new Set(many.map((dv) => dv.statusCode.name))], ["Good"]);
  });

  it("gives a new monitored item the live value first, then each next value once", async () => {
    // Nobody watches the counter: the endpoint's cache of it (the last Read's) grows 3 s old, 30 counts behind.
    await new Promise((r) => setTimeout(r, 3000));
    const { values, subscription } = await record(proxy.session, `ns=${proxy.ns};s=Counter`);
    await until("five counter values", () => values.length >= 5);
    await subscription.terminate();
    const counted = values.map((v) => Number(v.value));
    const live = Math.floor(values[0].at / 100) >>> 0;
    assert.ok(Math.abs(counted[0] - live) < 15, `first value ${counted[0]}, the counter was at ${live}`);
    // Steps of 1, or 2 where the sim's 100 ms timer drifted across a tick: never 0 (a value twice) nor a jump.
    const steps = counted.slice(1).map((v, i) => v - counted[i]);
    assert.ok(
      steps.every((step) => step === 1 || step === 2),
      counted.join(","),
    );
  });

  it("serves the union of two sides that differ, and the pair reports them not synced", async () => {
    // Each side is mirrored once its session is open; on a loaded machine one side may come seconds after the other.
    const both = (served: string[]) => served.some((c) => c.startsWith("OnlyOnPrimary")) && served.some((c) => c.startsWith("OnlyOnSecondary"));
    await until("both sides' extra nodes served", async () => both(await children(proxy, "Simulation")));
    await until("the pair's not-synced finding", () => !!fx.pair.snapshot().notSynced);
    assert.deepEqual(fx.pair.snapshot().notSynced, {
      missingOnPrimary: [`nsu=${SIM_NAMESPACE};s=OnlyOnSecondary`],
      missingOnSecondary: [`nsu=${SIM_NAMESPACE};s=OnlyOnPrimary`],
    });
    assert.ok(
      fx.events.some((e) => e.kind === "pairNotSynced"),
      "pairNotSynced posted",
    );
    // The active primary lacks the secondary's node: the proxy says so rather than invent a value.
    assert.equal((await readValue(proxy.session, `ns=${proxy.ns};s=OnlyOnSecondary`)).statusCode.name, "BadNodeIdUnknown");
  });

  it("follows continuation points when the upstream returns references in parts", async () => {
    direct.session.requestedMaxReferencesPerNode = 40;
    const namespace = await readUpstreamNamespace(direct.session);
    const items = namespace.nodes.filter((n) => n.browseName.name.startsWith("Item_"));
    assert.equal(items.length, 300);
  });

  it("stayed on the primary throughout: no switch while clients read it", () => {
    assert.deepEqual(fx.promotions(), ["promoted.primary"]);
  });
});
