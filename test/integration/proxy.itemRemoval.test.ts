import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AttributeIds, TimestampsToReturn, type ClientSession, type DeleteMonitoredItemsRequestOptions, type DeleteMonitoredItemsResponse } from "node-opcua";
import type { Side } from "../../engine/src/events/catalog";
import { itemName } from "../bench/support/bulkFlow";
import { ProxyFixture, until } from "../support/proxyFixture";

// Ports 23530–23532 belong to this file.
const ITEMS = 2500;
/** At most this many items go in one upstream request (operationLimits.ts): the sims allow more. */
const PER_CALL = 1000;

/** DeleteMonitoredItems requests a side's session sent: how many items each named, and how many the server deleted. */
interface Deletions {
  requests: number[];
  deleted: number;
}

type DeleteRequest = (request: DeleteMonitoredItemsRequestOptions, callback: (err: Error | null, response?: DeleteMonitoredItemsResponse) => void) => void;

/** Counts the DeleteMonitoredItems requests the session sends from now on, seen on the way through (node-opcua's subscriptions call the session's method). */
function countDeletions(session: ClientSession): Deletions {
  const seen: Deletions = { requests: [], deleted: 0 };
  const target = session as unknown as { deleteMonitoredItems: DeleteRequest };
  const send = target.deleteMonitoredItems.bind(target);
  target.deleteMonitoredItems = (request, callback) => {
    seen.requests.push(request.monitoredItemIds?.length ?? 0);
    send(request, (err, response) => {
      seen.deleted += response?.results?.filter((status) => status.isGood()).length ?? 0;
      callback(err, response);
    });
  };
  return seen;
}

describe("proxy endpoint: a client that leaves with thousands of items", () => {
  let fx: ProxyFixture;

  before(async () => {
    fx = await ProxyFixture.start({ mode: "hot", ports: [23530, 23531, 23532], items: ITEMS, itemRateHz: 1 });
    await fx.primaryActiveFirst();
  });

  after(async () => {
    await fx?.close();
  });

  it("has its upstream items deleted on both sides in one request per 1,000 items, not one per item", async () => {
    const { session, ns } = await fx.connect();
    const subscription = await session.createSubscription2({ requestedPublishingInterval: 100, publishingEnabled: true, requestedMaxKeepAliveCount: 20, requestedLifetimeCount: 600 });
    const nodes = Array.from({ length: ITEMS }, (_, i) => ({ nodeId: `ns=${ns};s=${itemName(i)}`, attributeId: AttributeIds.Value }));
    const group = await subscription.monitorItems(nodes, { samplingInterval: 1000, queueSize: 1, discardOldest: true }, TimestampsToReturn.Both);
    const valued = new Set<number>();
    group.on("changed", (_item, _value, index: number) => valued.add(index));
    // Every item is forwarded from both sides (hot mode) once its values come.
    await until("a value of every item", () => valued.size === ITEMS, 60_000);
    const sides: Side[] = ["primary", "secondary"];
    const deletions = sides.map((side) => countDeletions(fx.pair.sideSession!(side)!));

    await session.close();
    await until("every upstream item deleted on both sides", () => deletions.every((d) => d.deleted >= ITEMS), 30_000);
    for (const [i, side] of sides.entries()) {
      const { requests, deleted } = deletions[i];
      assert.equal(deleted, ITEMS, `the ${side} deleted each item once`);
      assert.ok(requests.length <= Math.ceil(ITEMS / PER_CALL), `the ${side} got ${requests.length} requests (the largest of ${Math.max(...requests)} items)`);
    }
  });
});
