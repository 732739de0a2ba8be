import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { SIM_NAMESPACE, SimNodes } from "../../engine/src/sim/simServer";
import { withPair } from "../support/pairHarness";
import { ProxyFixture, readValue, record, until, type Recorded } from "../support/proxyFixture";
import { startSims } from "../support/startSims";

// Ports 23430–23439 belong to this file.

/** The sim's plain variables a client subscribes to, one more than the primary lets a subscription hold. */
const NODES = [SimNodes.counter, SimNodes.identity, SimNodes.tag, SimNodes.error, SimNodes.quality, SimNodes.watchdog];
const PRIMARY_LIMIT = 5;

describe("nothing fails silently: a refused item is Bad at the client and an event", () => {
  let sims: [SimProcess, SimProcess];
  let fx: ProxyFixture;
  before(async () => {
    const [primary, secondary] = await startSims([
      { port: 23430, identity: "primary", maxMonitoredItemsPerSubscription: PRIMARY_LIMIT },
      { port: 23431, identity: "secondary" },
    ]);
    sims = [primary, secondary];
    fx = await ProxyFixture.start({ mode: "hot", ports: [0, 0, 23432], sims });
    // Without failback the side that connects first stays active: under load both first attempts
    // may fail and the secondary answer first (seen in an npm test run), so the test switches to the primary.
    const primaryUp = () => fx.events.some((e) => e.id === "connected.primary");
    await until("a side active and the primary connected", () => fx.pair.active !== null && primaryUp(), 30_000);
    if (fx.pair.active === "secondary") await fx.pair.forceFailover();
    await until("the primary active", () => fx.pair.active === "primary", 30_000).catch((error: Error) => {
      throw new Error(`${error.message}; events: ${fx.events.map((e) => `${e.id}${e.fields.detail ? ` (${e.fields.detail})` : ""}`).join(", ")}`);
    });
  });
  after(async () => {
    await fx?.close();
    await Promise.all(sims?.map((s) => s.close()) ?? []);
  });

  it("shows the server's refusal on the client's item, posts it once, and serves the item Good from a side that accepts it", async () => {
    const { session, ns } = await fx.connect();
    const recorded: Recorded[][] = [];
    const first = await record(session, `ns=${ns};s=${NODES[0]}`);
    recorded.push(first.values);
    for (const node of NODES.slice(1)) recorded.push((await record(session, `ns=${ns};s=${node}`, first.subscription)).values);
    const refused = () => fx.events.filter((e) => e.id === "forwardedItemRefused.primary");
    await until("the refusal event", () => refused().length > 0);
    // The pair's forwarding subscription on the primary takes the first items; the one beyond the limit is refused.
    const last = recorded.at(-1)!;
    await until("the refused item's status at the client", () => last.some((v) => v.status === "BadTooManyMonitoredItems"));
    assert.equal(refused().length, 1, "one event for the refusal");
    assert.equal(refused()[0].fields.status, "BadTooManyMonitoredItems");
    assert.equal(refused()[0].fields.items, `nsu=${SIM_NAMESPACE};s=${NODES.at(-1)}`);
    assert.equal(last.at(-1)!.status, "BadTooManyMonitoredItems", "the refused item is not Good");
    const direct = await fx.connectTo(fx.primary.url);
    assert.equal((await readValue(direct.session, `ns=${direct.ns};s=${NODES.at(-1)}`)).statusCode.name, "Good", "the node itself is fine on the primary: only its monitoring is refused");
    assert.equal((await readValue(session, `ns=${ns};s=${NODES.at(-1)}`)).statusCode.name, "BadTooManyMonitoredItems", "a Read through the endpoint answers what the client's item shows");
    assert.ok(
      recorded.slice(0, -1).every((values) => values.at(-1)?.status === "Good"),
      "the other items are Good",
    );

    // A second client asking for the same node changes nothing upstream: no second event.
    const other = await fx.connect();
    const again = await record(other.session, `ns=${other.ns};s=${NODES.at(-1)}`);
    await until("the second client's Bad status", () => again.values.some((v) => v.status === "BadTooManyMonitoredItems"));
    assert.equal(refused().length, 1, "still one event");

    await fx.pair.forceFailover();
    await until("the secondary active", () => fx.pair.active === "secondary");
    await until("the item Good from the secondary, which accepts it", () => last.at(-1)?.status === "Good");
    assert.deepEqual(
      fx.events.filter((e) => e.id === "forwardedItemRefused.secondary"),
      [],
    );

    await fx.pair.forceFailover();
    await until("the primary active again", () => fx.pair.active === "primary");
    await until("the item Bad again on the primary", () => last.at(-1)?.status === "BadTooManyMonitoredItems");
    assert.equal(refused().length, 1, "the refusal is not news: still one event");
  });
});

describe("nothing fails silently: the forwarding subscription's watchdog", () => {
  it("fails over from a hung server when its subscription falls silent, long before its next status poll", async () => {
    // A status poll every 20 s would see the hang 20–22 s after the last poll; the forwarding
    // subscription keeps alive every 0.5 s, so its watchdog fires 0.5 s + the 2 s status timeout after its last message.
    await withPair({ mode: "hot", statusIntervalMs: 20_000, statusTimeoutMs: 2000 }, async (h) => {
      await h.run();
      await h.activeIs("primary", 30_000);
      await h.firstValueFrom("primary", Date.now());
      const truth = await h.watchDirect("secondary");
      await new Promise((r) => setTimeout(r, 1000));
      const stoppedAt = Date.now();
      h.primary.signal("SIGSTOP");
      const fromSecondary = await h.firstValueFrom("secondary", stoppedAt, 15_000);
      const promoted = h.events.find((e) => e.id === "promoted.secondary" && e.at >= stoppedAt)!;
      console.log(`# hang → promoted.secondary in ${promoted.at - stoppedAt} ms (status poll every 20 s)`);
      assert.ok(promoted.at - stoppedAt < 8000, `promoted ${promoted.at - stoppedAt} ms after the hang; events: ${h.story()}`);
      const lost = h.events.filter((e) => e.id === "statusLost.primary" && e.at >= stoppedAt);
      assert.equal(lost.length, 1, "handled like a lost status poll");
      assert.match(String(lost[0].fields.detail), /^no data and no keep-alive from the forwarding subscription within 2500 ms$/);
      await until("more values from the secondary", () => h.valuesSince(fromSecondary).length >= 10);
      const received = h.received.map((r) => r.value);
      const lastFromPrimary = h.received.filter((r) => r.active === "primary").at(-1)!.value;
      const missing = truth.filter((v) => v > lastFromPrimary && v <= received.at(-1)! && !received.includes(v));
      assert.deepEqual(missing, [], "hot mode replays what the hang held back");
    });
  });
});
