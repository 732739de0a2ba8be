import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AttributeIds, TimestampsToReturn, type ClientMonitoredItemBase, type ClientSession, type ClientSubscription, type DataValue } from "node-opcua";
import { ProxyFixture, until } from "../support/proxyFixture";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An upstream item the endpoint asked the pair for, and whether it has been removed since. */
interface UpstreamItem {
  samplingInterval: number;
  removed: boolean;
}

// Ports 23510–23512 belong to this file.
describe("proxy endpoint: a client's ModifyMonitoredItems reaches the upstream item", () => {
  let fx: ProxyFixture;
  let proxy: { session: ClientSession; ns: number };
  let subscription: ClientSubscription;
  /** What the endpoint asks of the pair, seen on the way through: the upstream items and their sampling. */
  const upstream: UpstreamItem[] = [];
  const live = () => upstream.filter((u) => !u.removed).map((u) => u.samplingInterval);
  const counter = () => `ns=${proxy.ns};s=Counter`;

  const monitor = async (samplingInterval: number): Promise<{ item: ClientMonitoredItemBase; arrivals: number[] }> => {
    const item = await subscription.monitor({ nodeId: counter(), attributeId: AttributeIds.Value }, { samplingInterval, queueSize: 100, discardOldest: true }, TimestampsToReturn.Both);
    const arrivals: number[] = [];
    item.on("changed", (_dv: DataValue) => arrivals.push(Date.now()));
    return { item, arrivals };
  };
  /** Values per second over the next `ms`. */
  const rate = async (arrivals: number[], ms: number) => {
    const from = Date.now();
    await sleep(ms);
    return (arrivals.filter((t) => t >= from).length * 1000) / ms;
  };

  before(async () => {
    fx = await ProxyFixture.start({ mode: "warm", ports: [23510, 23511, 23512] });
    await until("a side active", () => fx.pair.active !== null);
    const add = fx.pair.data.add.bind(fx.pair.data);
    fx.pair.data.add = (nodeId, options, onValue) => {
      const seen: UpstreamItem = { samplingInterval: options.samplingInterval, removed: false };
      upstream.push(seen);
      const handle = add(nodeId, options, onValue);
      return {
        remove: () => {
          seen.removed = true;
          handle.remove();
        },
      };
    };
    proxy = await fx.connect();
    subscription = await proxy.session.createSubscription2({
      requestedPublishingInterval: 50,
      publishingEnabled: true,
      requestedMaxKeepAliveCount: 20,
      requestedLifetimeCount: 600,
      maxNotificationsPerPublish: 0,
    });
  });

  after(async () => {
    await fx?.close();
  });

  it("samples upstream ten times faster when the client modifies its item from 1000 ms to 100 ms", async () => {
    const { item, arrivals } = await monitor(1000);
    await until("the first values", () => arrivals.length >= 2);
    const slow = await rate(arrivals, 3000);
    await item.modify({ samplingInterval: 100, queueSize: 100 });
    await sleep(1000);
    const fast = await rate(arrivals, 3000);
    console.log(`# Counter through the endpoint: ${slow.toFixed(1)} values/s at 1000 ms, ${fast.toFixed(1)} values/s after the modify to 100 ms`);
    // The sim's Counter changes every 100 ms: ~1/s sampled at 1000 ms, up to ~10/s at 100 ms. An
    // upstream item left at 1000 ms would hold the endpoint's variable, and so the client, at ~1/s.
    assert.ok(slow <= 2, `~1 value/s at 1000 ms, got ${slow}/s`);
    assert.ok(fast >= 4, `several values/s after the modify, got ${fast}/s`);
    assert.deepEqual(live(), [100], "one upstream item, at the new interval");
    await item.terminate();
    await until("the upstream item removed with the last client item", () => live().length === 0);
  });

  it("falls back to the next fastest client item when the fastest is slowed or removed", async () => {
    const a = await monitor(100);
    const b = await monitor(1000);
    await until("values", () => a.arrivals.length > 0 && b.arrivals.length > 0);
    assert.deepEqual(live(), [100], "the fastest client item sets the upstream sampling");

    await a.item.modify({ samplingInterval: 2000, queueSize: 100 });
    await until("the upstream at 1000 ms", () => live().join() === "1000", 5000);

    await b.item.terminate();
    await until("the upstream at 2000 ms", () => live().join() === "2000", 5000);

    await a.item.terminate();
    await until("no upstream item", () => live().length === 0);
  });
});
