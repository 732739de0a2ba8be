import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AttributeIds, DataChangeFilter, DataChangeTrigger, DataType, DeadbandType, TimestampsToReturn, type ClientSession, type DataValue } from "node-opcua";
import type { Side } from "../../engine/src/events/catalog";
import { ProxyFixture, readValue, until } from "../support/proxyFixture";

const TAG = "Channel_1.Device_1.Tag_1";

// Ports 23010–23019 belong to this file.
describe("proxy endpoint: writes go to the active side only", () => {
  let fx: ProxyFixture;
  let proxy: { session: ClientSession; ns: number };

  const write = (value: unknown, dataType: DataType) => proxy.session.write({ nodeId: `ns=${proxy.ns};s=${TAG}`, attributeId: AttributeIds.Value, value: { value: { dataType, value } } });
  /** The tag as a client of one sim sees it. */
  const tagOn = async (side: Side) => {
    const direct = await fx.connectTo(fx.sim(side).url);
    return (await readValue(direct.session, `ns=${direct.ns};s=${TAG}`)).value.value;
  };

  before(async () => {
    fx = await ProxyFixture.start({ mode: "warm", ports: [23010, 23011, 23012] });
    await fx.primaryActiveFirst();
    proxy = await fx.connect();
  });

  after(async () => {
    await fx?.close();
  });

  it("writes to the active side and not the other", async () => {
    assert.equal((await write(11.5, DataType.Double)).name, "Good");
    assert.equal(await tagOn("primary"), 11.5);
    assert.equal(await tagOn("secondary"), 0);
    assert.equal((await readValue(proxy.session, `ns=${proxy.ns};s=${TAG}`)).value.value, 11.5);
  });

  it("passes the upstream's refusal back and keeps the value it refused out", async () => {
    assert.equal((await write("not a number", DataType.String)).name, "BadTypeMismatch");
    const unknown = await proxy.session.write({ nodeId: `ns=${proxy.ns};s=NoSuchNode`, attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Double, value: 1 } } });
    assert.equal(unknown.name, "BadNodeIdUnknown");
    assert.equal((await readValue(proxy.session, `ns=${proxy.ns};s=${TAG}`)).value.value, 11.5);
  });

  it("applies the client's deadband to what it forwards", async () => {
    const subscription = await proxy.session.createSubscription2({ requestedPublishingInterval: 50, publishingEnabled: true, requestedMaxKeepAliveCount: 20, requestedLifetimeCount: 600 });
    const filter = new DataChangeFilter({ trigger: DataChangeTrigger.StatusValue, deadbandType: DeadbandType.Absolute, deadbandValue: 1 });
    const item = await subscription.monitor({ nodeId: `ns=${proxy.ns};s=${TAG}`, attributeId: AttributeIds.Value }, { samplingInterval: 0, queueSize: 10, filter }, TimestampsToReturn.Both);
    const seen: number[] = [];
    item.on("changed", (dv: DataValue) => seen.push(Number(dv.value.value)));
    await until("the current value", () => seen.length === 1);
    for (const value of [11.7, 12.0, 13.0]) {
      await write(value, DataType.Double);
      await new Promise((r) => setTimeout(r, 300));
    }
    await until("the change beyond the deadband", () => seen.includes(13));
    assert.deepEqual(seen, [11.5, 13], "changes within 1.0 of the last reported value are not reported");
    await subscription.terminate();
    await write(11.5, DataType.Double);
  });

  it("after a failover, writes to the secondary and not the restarted primary", async () => {
    assert.deepEqual(fx.promotions(), ["promoted.primary"], "no switch before the one this test causes");
    await fx.sim("primary").kill();
    await until("the secondary active", () => fx.pair.active === "secondary");
    await fx.sim("primary").restart();
    await until("the restarted primary connected as standby", () => fx.pair.snapshot().primary.state === "Running", 30_000);
    assert.equal((await write(22.5, DataType.Double)).name, "Good");
    assert.equal(await tagOn("secondary"), 22.5);
    assert.equal(await tagOn("primary"), 0);
    assert.equal((await readValue(proxy.session, `ns=${proxy.ns};s=${TAG}`)).value.value, 22.5);
    assert.deepEqual(fx.promotions(), ["promoted.primary", "promoted.secondary"], "the one switch the kill caused, and no other");
  });
});
