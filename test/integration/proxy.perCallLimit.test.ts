import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AttributeIds, TimestampsToReturn, type ClientMonitoredItemBase, type DataValue } from "node-opcua";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { SimNodes } from "../../engine/src/sim/simServer";
import { ProxyFixture, until } from "../support/proxyFixture";
import { startSims } from "../support/startSims";

// Ports 23490–23499 belong to this file.

/** More items than the servers take in one CreateMonitoredItems request. */
const ITEMS = 250;
const PER_CALL = 100;

describe("servers that create at most N monitored items a request (MaxMonitoredItemsPerCall)", () => {
  let sims: SimProcess[];
  let fx: ProxyFixture;
  before(async () => {
    sims = await startSims([
      { port: 23490, identity: "primary", items: ITEMS, rateHz: 1, maxMonitoredItemsPerCall: PER_CALL },
      { port: 23491, identity: "secondary", items: ITEMS, rateHz: 1, maxMonitoredItemsPerCall: PER_CALL },
    ]);
    fx = await ProxyFixture.start({ mode: "warm", ports: [0, 0, 23492], sims: [sims[0], sims[1]] });
    await fx.primaryActiveFirst();
  });
  after(async () => {
    await fx?.close();
    await Promise.all(sims?.map((s) => s.close()) ?? []);
  });

  it("forwards every item a client subscribes to in one request, and again after a switch creates them all on the other side", async () => {
    const { session, ns } = await fx.connect();
    const subscription = await session.createSubscription2({ requestedPublishingInterval: 100, publishingEnabled: true, requestedMaxKeepAliveCount: 20, requestedLifetimeCount: 600 });
    const group = await subscription.monitorItems(
      Array.from({ length: ITEMS }, (_, i) => ({ nodeId: `ns=${ns};s=${SimNodes.items}${String(i).padStart(4, "0")}`, attributeId: AttributeIds.Value })),
      { samplingInterval: 0, queueSize: 10, discardOldest: true },
      TimestampsToReturn.Both,
    );
    const latest: (DataValue | undefined)[] = new Array(ITEMS);
    group.on("changed", (_item: ClientMonitoredItemBase, dv: DataValue, index: number) => (latest[index] = dv));
    const goodSince = (at: number) => latest.filter((dv) => dv?.statusCode.isGood() && dv.serverTimestamp && dv.serverTimestamp.getTime() >= at).length;
    const refusals = () => fx.events.filter((e) => e.kind === "forwardedItemRefused").map((e) => `${e.side}: ${e.fields.status}`);

    const subscribedAt = Date.now();
    await until(`a Good value of each of the ${ITEMS} items from the primary`, () => goodSince(subscribedAt) === ITEMS, 30_000).catch((error: Error) => {
      throw new Error(`${error.message} (${goodSince(subscribedAt)} Good; refusals: ${refusals().join(", ") || "none"})`);
    });

    // A warm switch creates every item on the secondary at once: more than it takes in one request.
    const switchedAt = Date.now();
    await fx.pair.forceFailover();
    await until("the secondary active", () => fx.pair.active === "secondary");
    await until(`a Good value of each item from the secondary`, () => goodSince(switchedAt) === ITEMS, 30_000).catch((error: Error) => {
      throw new Error(`${error.message} (${goodSince(switchedAt)} Good; refusals: ${refusals().join(", ") || "none"})`);
    });
    assert.deepEqual(refusals(), [], "no item refused on either side");
  });
});
