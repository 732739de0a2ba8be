import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  AccessLevelFlag,
  AggregateFunction,
  AttributeIds,
  HistoryData,
  HistoryReadRequest,
  ReadAtTimeDetails,
  ReadProcessedDetails,
  ReadRawModifiedDetails,
  TimestampsToReturn,
  VariableIds,
  type ClientSession,
  type HistoryReadResult,
} from "node-opcua";
import type { Side } from "../../engine/src/events/catalog";
import { ProxyFixture, readValue, until } from "../support/proxyFixture";

const COUNTER = "Counter";

// Ports 23600–23619 belong to this file.
describe("proxy endpoint: HistoryRead goes to the active side", () => {
  let fx: ProxyFixture;
  let proxy: { session: ClientSession; ns: number };
  let first: Side;
  let other: Side;
  /** A closed interval in the past: both sides' history of it is final, so two reads of it must agree. */
  let interval: { start: Date; end: Date };

  const direct = async (side: Side) => fx.connectTo(fx.sim(side).url);
  const counterOn = (client: { ns: number }) => `ns=${client.ns};s=${COUNTER}`;

  before(async () => {
    fx = await ProxyFixture.start({ mode: "warm", ports: [23600, 23601, 23602] });
    await until("a side active", () => fx.pair.active !== null);
    first = fx.pair.active!;
    other = first === "primary" ? "secondary" : "primary";
    proxy = await fx.connect();
    // Counter changes every 100 ms: 3 s of history is about 30 values.
    await new Promise((r) => setTimeout(r, 3500));
    const now = Date.now();
    interval = { start: new Date(now - 3000), end: new Date(now - 500) };
  });

  after(async () => {
    await fx?.close();
  });

  it("shows the upstream's Historizing, the HistoryRead bit of its access levels and the capability to read history", async () => {
    const [historizing, accessLevel, userAccessLevel] = await proxy.session.read(
      [AttributeIds.Historizing, AttributeIds.AccessLevel, AttributeIds.UserAccessLevel].map((attributeId) => ({ nodeId: counterOn(proxy), attributeId })),
    );
    assert.equal(historizing.value.value, true);
    assert.ok(accessLevel.value.value & AccessLevelFlag.HistoryRead, "AccessLevel has HistoryRead");
    assert.ok(userAccessLevel.value.value & AccessLevelFlag.HistoryRead, "UserAccessLevel has HistoryRead");
    const identity = await proxy.session.read({ nodeId: `ns=${proxy.ns};s=Identity`, attributeId: AttributeIds.Historizing });
    assert.equal(identity.value.value, false, "a variable without history says so");
    const capability = await proxy.session.read({ nodeId: `i=${VariableIds.HistoryServerCapabilities_AccessHistoryDataCapability}`, attributeId: AttributeIds.Value });
    assert.equal(capability.value.value, true, "the endpoint's HistoryServerCapabilities say it gives access to history data");
  });

  it("reads the same raw history as a client of the active side", async (t) => {
    const upstream = await direct(first);
    const viaProxy = await readRaw(proxy.session, counterOn(proxy), interval);
    const viaDirect = await readRaw(upstream.session, counterOn(upstream), interval);
    assert.equal(viaProxy.statusCode.name, "Good");
    assert.ok(values(viaDirect).length >= 20, `the sim kept ${values(viaDirect).length} values of 2.5 s at 10 Hz`);
    assert.deepEqual(values(viaProxy), values(viaDirect));
    t.diagnostic(
      `raw read of ${values(viaProxy).length} values: endpoint ${await medianMs(() => readRaw(proxy.session, counterOn(proxy), interval))} ms, ` +
        `direct ${await medianMs(() => readRaw(upstream.session, counterOn(upstream), interval))} ms (median of 20)`,
    );
  });

  it("passes processed and at-time reads and their answers through", async () => {
    const upstream = await direct(first);
    const processed = (session: ClientSession, nodeId: string) =>
      historyRead(
        session,
        nodeId,
        new ReadProcessedDetails({
          startTime: interval.start,
          endTime: interval.end,
          processingInterval: 1000,
          aggregateType: [AggregateFunction.Average],
          aggregateConfiguration: { useServerCapabilitiesDefaults: true },
        }),
      );
    const averages = await processed(upstream.session, counterOn(upstream));
    assert.equal(averages.statusCode.name, "Good");
    assert.ok(values(averages).length >= 2, "one average a second");
    assert.deepEqual(values(await processed(proxy.session, counterOn(proxy))), values(averages));
    // node-opcua's in-memory history has no at-time reads: its refusal is what the endpoint must pass on.
    const atTime = (session: ClientSession, nodeId: string) =>
      historyRead(
        session,
        nodeId,
        new ReadAtTimeDetails({
          reqTimes: [new Date(interval.start.getTime() + 1000)],
          useSimpleBounds: true,
        }),
      );
    const refusal = await atTime(upstream.session, counterOn(upstream));
    assert.equal((await atTime(proxy.session, counterOn(proxy))).statusCode.name, refusal.statusCode.name);
  });

  it("continues a read with HistoryReadNext through the endpoint and releases its point", async () => {
    const upstream = await direct(first);
    const all = values(await readRaw(upstream.session, counterOn(upstream), interval));
    const page1 = await readRaw(proxy.session, counterOn(proxy), interval, 5);
    assert.ok(page1.continuationPoint?.length, "a continuation point after 5 values");
    const page2 = await readRaw(proxy.session, counterOn(proxy), interval, 5, page1.continuationPoint);
    assert.equal(page2.statusCode.name, "Good");
    assert.deepEqual([...values(page1), ...values(page2)], all.slice(0, 10));
    const released = await readRaw(proxy.session, counterOn(proxy), interval, 5, page2.continuationPoint, true);
    assert.equal(released.statusCode.name, "Good");
    const reused = await readRaw(proxy.session, counterOn(proxy), interval, 5, page2.continuationPoint);
    assert.equal(reused.statusCode.name, "BadContinuationPointInvalid", "a released point is gone");
  });

  it("answers a continuation point the endpoint never issued with BadContinuationPointInvalid", async () => {
    const made = await readRaw(proxy.session, counterOn(proxy), interval, 5, Buffer.from("not a point of ours"));
    assert.equal(made.statusCode.name, "BadContinuationPointInvalid");
  });

  it("after a failover reads the other side's own history, and an old continuation point is invalid", async () => {
    const pending = await readRaw(proxy.session, counterOn(proxy), interval, 5);
    assert.ok(pending.continuationPoint?.length);
    await fx.sim(first).kill();
    await until(`the ${other} active`, () => fx.pair.active === other);
    const stale = await readRaw(proxy.session, counterOn(proxy), interval, 5, pending.continuationPoint);
    assert.equal(stale.statusCode.name, "BadContinuationPointInvalid");
    const upstream = await direct(other);
    const viaProxy = await readRaw(proxy.session, counterOn(proxy), interval);
    assert.equal(viaProxy.statusCode.name, "Good");
    assert.ok(values(viaProxy).length >= 20);
    assert.deepEqual(values(viaProxy), values(await readRaw(upstream.session, counterOn(upstream), interval)));
  });

  it("answers BadNoCommunication while no side is active, and the endpoint keeps serving", async () => {
    await fx.sim(other).kill();
    await until("no side active", () => fx.pair.active === null);
    const result = await readRaw(proxy.session, counterOn(proxy), interval);
    assert.equal(result.statusCode.name, "BadNoCommunication");
    assert.equal((await readValue(proxy.session, counterOn(proxy))).statusCode.name, "BadNoCommunication");
  });
});

async function historyRead(
  session: ClientSession,
  nodeId: string,
  historyReadDetails: HistoryReadRequest["historyReadDetails"],
  continuationPoint?: Buffer,
  release = false,
): Promise<HistoryReadResult> {
  const response = await session.historyRead(
    new HistoryReadRequest({
      historyReadDetails,
      timestampsToReturn: TimestampsToReturn.Both,
      releaseContinuationPoints: release,
      nodesToRead: [{ nodeId, continuationPoint }],
    }),
  );
  return response.results![0];
}

function readRaw(session: ClientSession, nodeId: string, interval: { start: Date; end: Date }, numValuesPerNode = 0, continuationPoint?: Buffer, release = false) {
  const details = new ReadRawModifiedDetails({ startTime: interval.start, endTime: interval.end, numValuesPerNode, isReadModified: false, returnBounds: false });
  return historyRead(session, nodeId, details, continuationPoint, release);
}

function values(result: HistoryReadResult) {
  const data = result.historyData as HistoryData | null;
  return (data?.dataValues ?? []).map((dv) => ({ value: dv.value.value, status: dv.statusCode.name, source: dv.sourceTimestamp?.getTime() }));
}

async function medianMs(read: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    await read();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[10] * 10) / 10;
}
