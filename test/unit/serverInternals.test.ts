import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  AttributeIds,
  DataType,
  DataValue,
  EventFilter,
  HistoryReadRequest,
  HistoryReadResult,
  OPCUACertificateManager,
  OPCUAClient,
  OPCUAServer,
  ReadRawModifiedDetails,
  StatusCodes,
  TimestampsToReturn,
  Variant,
  constructEventFilter,
  makeBrowsePath,
  type ClientSession,
  type ClientSubscription,
  type MonitoredItem,
  type NodeId,
  type UAVariable,
} from "node-opcua";
import { followMonitoredItems } from "../../engine/src/proxy/monitoredItems";
import {
  adoptValue,
  aroundHistoryRead,
  beforeCreateMonitoredItems,
  beforeRead,
  beforeTranslateBrowsePath,
  cachedValue,
  createOnLookup,
  enqueueEvent,
  forwardHistoryReads,
  forwardWrites,
  listeningSockets,
  onModify,
  PushedValues,
} from "../../engine/src/opcuaInternals";

// Each node-opcua internal the endpoint relies on (engine/src/opcuaInternals/), exercised
// against a real server and client in this process: when an upgrade of node-opcua changes one of
// them, this file says which.
// Port 23400 belongs to this file.
const PORT = 23400;

const uint = (value: number) => new DataValue({ value: new Variant({ dataType: DataType.UInt32, value }), sourceTimestamp: new Date(Date.now() - 10_000 + value), serverTimestamp: new Date() });

describe("node-opcua server internals the endpoint uses", () => {
  let server: OPCUAServer;
  let client: OPCUAClient;
  let session: ClientSession;
  let variable: UAVariable;
  const items: MonitoredItem[] = [];
  /** Hand-offs made as the endpoint makes them, when node-opcua announces the item (before it is enabled). */
  const pushers = new Map<MonitoredItem, PushedValues>();
  let pushTo: ((item: MonitoredItem) => PushedValues) | undefined;

  before(async () => {
    const pki = join(tmpdir(), "redundancymaster-proxy-test-pki", String(PORT));
    server = new OPCUAServer({ port: PORT, serverCertificateManager: new OPCUACertificateManager({ rootFolder: pki, automaticallyAcceptUnknownCertificate: true }) });
    await server.initialize();
    const addressSpace = server.engine.addressSpace!;
    const namespace = addressSpace.registerNamespace("urn:internals");
    variable = namespace.addVariable({
      organizedBy: addressSpace.rootFolder.objects,
      browseName: "Pushed",
      nodeId: "s=Pushed",
      dataType: "UInt32",
      accessLevel: "CurrentRead | CurrentWrite",
      userAccessLevel: "CurrentRead | CurrentWrite",
      minimumSamplingInterval: 0,
    });
    variable.setValueFromSource({ dataType: DataType.UInt32, value: 0 });
    followMonitoredItems(server, {
      added: (item) => {
        items.push(item);
        if (pushTo) pushers.set(item, pushTo(item));
      },
      removed: () => undefined,
    });
    await server.start();
    const clientCertificateManager = new OPCUACertificateManager({ rootFolder: join(tmpdir(), "redundancymaster-pki", "test-direct"), automaticallyAcceptUnknownCertificate: true });
    client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager });
    await client.connect(`opc.tcp://127.0.0.1:${PORT}`);
    session = await client.createSession();
  });

  after(async () => {
    await client?.disconnect();
    await server?.shutdown(0);
  });

  const subscribe = (): Promise<ClientSubscription> =>
    session.createSubscription2({ requestedPublishingInterval: 200, publishingEnabled: true, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 100 });

  it("starts the endpoint's address space with two namespaces (OPC UA's and its own), so stored indexes begin at 2", async () => {
    const fresh = new OPCUAServer({ port: PORT + 1 });
    await fresh.initialize();
    assert.equal(fresh.engine.addressSpace!.getNamespaceArray().length, 2);
    await fresh.shutdown(0);
  });

  it("finds the server's listening socket on its port", () => {
    assert.deepEqual(
      listeningSockets(server).map((socket) => (socket.address() as AddressInfo).port),
      [PORT],
    );
  });

  it("adopts a value as the variable's cache, read back by clients, and a value of another type as BadTypeMismatch", async () => {
    adoptValue(variable, uint(7));
    assert.equal(cachedValue(variable).value.value, 7);
    assert.equal((await session.read({ nodeId: "ns=2;s=Pushed", attributeId: AttributeIds.Value })).value.value, 7);
    const mismatch = adoptValue(variable, new DataValue({ value: new Variant({ dataType: DataType.String, value: "x" }) }));
    assert.equal(mismatch.statusCode, StatusCodes.BadTypeMismatch);
    assert.equal(cachedValue(variable), mismatch);
    adoptValue(variable, uint(0));
  });

  it("answers a client's Write with the forwarded write's status and records nothing itself", async () => {
    const written: unknown[] = [];
    forwardWrites(variable, async (_context, dataValue) => {
      written.push(dataValue.value.value);
      return StatusCodes.BadUserAccessDenied;
    });
    const status = await session.write({ nodeId: "ns=2;s=Pushed", attributeId: AttributeIds.Value, value: { value: { dataType: DataType.UInt32, value: 99 } } });
    assert.equal(status, StatusCodes.BadUserAccessDenied);
    assert.deepEqual(written, [99]);
    assert.notEqual(cachedValue(variable).value.value, 99);
  });

  it("delivers every pushed value in order, once, to an item as fast as the upstream, even a burst beyond its queue; a slower item samples", async () => {
    const subscription = await subscribe();
    pushTo = (item) => new PushedValues(item, () => 100);
    const fast = await subscription.monitor({ nodeId: "ns=2;s=Pushed", attributeId: AttributeIds.Value }, { samplingInterval: 100, queueSize: 5, discardOldest: true }, TimestampsToReturn.Both);
    const slow = await subscription.monitor({ nodeId: "ns=2;s=Pushed", attributeId: AttributeIds.Value }, { samplingInterval: 1000, queueSize: 5, discardOldest: true }, TimestampsToReturn.Both);
    pushTo = undefined;
    const got = { fast: [] as number[], slow: [] as number[] };
    fast.on("changed", (dv) => got.fast.push(Number(dv.value.value)));
    slow.on("changed", (dv) => got.slow.push(Number(dv.value.value)));
    // At least: a stray extra value then fails the exact comparison below with the values it got, not a timeout.
    await waitFor(() => got.fast.length >= 1 && got.slow.length >= 1, "a first value on each item");
    // A burst in one turn of the event loop, as hot mode replays at a switch: the variable's cache
    // holds the newest at once, as the endpoint keeps it, and the fast item's sampler must not jump ahead.
    for (let value = 1; value <= 20; value++) {
      const adopted = adoptValue(variable, uint(value));
      for (const pusher of pushers.values()) pusher.push(adopted);
    }
    await waitFor(() => got.fast.at(-1) === 20 && got.slow.at(-1) === 20, "the burst");
    await new Promise((r) => setTimeout(r, 1200));
    assert.deepEqual(
      got.fast,
      Array.from({ length: 21 }, (_, i) => i),
      "each value once, in order",
    );
    assert.ok(got.slow.length <= 3, `the slow item samples the latest (${got.slow.join(",")})`);
    await subscription.terminate();
  });

  it("sends a pushed value on arrival once the subscription's last message is a publishing interval old, not at its timer's next tick", async () => {
    const intervalMs = 4000;
    const subscription = await session.createSubscription2({ requestedPublishingInterval: intervalMs, publishingEnabled: true, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 100 });
    assert.equal(subscription.publishingInterval, intervalMs);
    pushers.clear();
    pushTo = (item) => new PushedValues(item, () => 100);
    const item = await subscription.monitor({ nodeId: "ns=2;s=Pushed", attributeId: AttributeIds.Value }, { samplingInterval: 100, queueSize: 5, discardOldest: true }, TimestampsToReturn.Both);
    pushTo = undefined;
    const arrivals: { value: number; at: number }[] = [];
    item.on("changed", (dv) => arrivals.push({ value: Number(dv.value.value), at: Date.now() }));
    await waitFor(() => arrivals.length >= 1, "the first value");
    // The timer ticked an interval after the first message and found nothing: its next tick is nearly an interval away.
    await new Promise((r) => setTimeout(r, intervalMs + 300));
    const pushedAt = Date.now();
    const adopted = adoptValue(variable, uint(1000));
    for (const pusher of pushers.values()) pusher.push(adopted);
    await waitFor(() => arrivals.some((a) => a.value === 1000), "the pushed value");
    const tookMs = arrivals.find((a) => a.value === 1000)!.at - pushedAt;
    assert.ok(tookMs < intervalMs / 2, `the pushed value took ${tookMs} ms; the timer's next tick was ${intervalMs - 300} ms away`);
    await subscription.terminate();
  });

  it("does not read the variable for an item the pushes feed; an item slower than the upstream samples it again", async () => {
    const subscription = await subscribe();
    let upstreamMs = 100;
    pushers.clear();
    pushTo = (item) => new PushedValues(item, () => upstreamMs);
    const item = await subscription.monitor({ nodeId: "ns=2;s=Pushed", attributeId: AttributeIds.Value }, { samplingInterval: 100, queueSize: 5, discardOldest: true }, TimestampsToReturn.Both);
    pushTo = undefined;
    const got: number[] = [];
    item.on("changed", (dv) => got.push(Number(dv.value.value)));
    await waitFor(() => got.length >= 1, "the first value");
    // node-opcua's sampler reads the variable through readValueAsync: 10 times a second at 100 ms.
    const readValueAsync = variable.readValueAsync;
    let reads = 0;
    variable.readValueAsync = function (this: UAVariable, ...args: Parameters<UAVariable["readValueAsync"]>) {
      reads++;
      return readValueAsync.apply(this, args);
    } as UAVariable["readValueAsync"];
    try {
      await new Promise((r) => setTimeout(r, 1000));
      assert.ok(reads <= 1, `the variable was read ${reads} times in 1 s`);
      const adopted = adoptValue(variable, uint(500));
      for (const pusher of pushers.values()) pusher.push(adopted);
      await waitFor(() => got.includes(500), "the pushed value");
      // Another client's item now makes the upstream sample faster than this one: its values no longer come by push, and a change is sampled.
      upstreamMs = 50;
      adoptValue(variable, uint(501));
      await waitFor(() => got.includes(501), "the sampled value");
      assert.ok(reads >= 1);
    } finally {
      variable.readValueAsync = readValueAsync;
      await subscription.terminate();
    }
  });

  it("passes a client's ModifyMonitoredItems on", async () => {
    const subscription = await subscribe();
    const created = items.length;
    const item = await subscription.monitor({ nodeId: "ns=2;s=Pushed", attributeId: AttributeIds.Value }, { samplingInterval: 1000 }, TimestampsToReturn.Both);
    let modified = 0;
    onModify(items[created], () => modified++);
    await item.modify({ samplingInterval: 100 });
    assert.equal(modified, 1);
    assert.equal(items[created].samplingInterval, 100);
    await subscription.terminate();
  });

  it("queues an event's fields in a client's event item", async () => {
    const subscription = await subscribe();
    const created = items.length;
    const item = await subscription.monitor(
      { nodeId: "i=2253", attributeId: AttributeIds.EventNotifier },
      { samplingInterval: 0, queueSize: 10, filter: constructEventFilter(["Message"]) as EventFilter },
      TimestampsToReturn.Neither,
    );
    const events: string[] = [];
    item.on("changed", (fields: unknown) => events.push(String((fields as Variant[])[0].value)));
    enqueueEvent(items[created], [new Variant({ dataType: DataType.String, value: "forwarded" })]);
    await waitFor(() => events.length > 0, "the event");
    assert.deepEqual(events, ["forwarded"]);
    await subscription.terminate();
  });

  it("runs a variable's HistoryRead through the wrapped engine and the forwarded read", async () => {
    const contexts: string[] = [];
    aroundHistoryRead(server.engine, (run) => {
      contexts.push("request");
      return run();
    });
    variable.bindVariable({ get: () => cachedValue(variable).value }, true);
    forwardHistoryReads(variable, (_context, _details, _range, _encoding, _continuation, callback) => {
      contexts.push("variable");
      callback(null, new HistoryReadResult({ statusCode: StatusCodes.GoodNoData }));
    });
    const response = await session.historyRead(
      new HistoryReadRequest({
        historyReadDetails: new ReadRawModifiedDetails({ startTime: new Date(0), endTime: new Date(), numValuesPerNode: 10 }),
        timestampsToReturn: TimestampsToReturn.Both,
        nodesToRead: [{ nodeId: "ns=2;s=Pushed" }],
      }),
    );
    assert.equal(response.results?.[0].statusCode, StatusCodes.GoodNoData);
    assert.deepEqual(contexts, ["request", "variable"]);
  });

  it("waits for a hook given the request's NodeIds before each Read and each CreateMonitoredItems", async () => {
    const namespace = server.engine.addressSpace!.getNamespace("urn:internals");
    const later = (name: string) => async (nodeIds: NodeId[]) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (nodeIds.some((nodeId) => nodeId.value === name))
        namespace.addVariable({ organizedBy: server.engine.addressSpace!.rootFolder.objects, browseName: name, nodeId: `s=${name}`, dataType: "Double" });
    };
    beforeRead(server.engine, later("ReadLater"));
    beforeCreateMonitoredItems(server, later("MonitoredLater"));
    assert.equal((await session.read({ nodeId: "ns=2;s=ReadLater", attributeId: AttributeIds.BrowseName })).value.value?.name, "ReadLater");
    const subscription = await subscribe();
    const item = await subscription.monitor({ nodeId: "ns=2;s=MonitoredLater", attributeId: AttributeIds.Value }, { samplingInterval: 100, queueSize: 1 }, TimestampsToReturn.Both);
    assert.equal(item.statusCode.name, "Good");
    await subscription.terminate();
  });

  it("creates a node when a Read, a monitored item or a browse path first looks it up, and runs a hook before each browse path", async () => {
    const namespace = server.engine.addressSpace!.getNamespace("urn:internals");
    const lookedUp: string[] = [];
    let created = false;
    createOnLookup(namespace, (nodeId) => {
      lookedUp.push(String(nodeId.value));
      // node-opcua looks the node up again while adding it.
      if (nodeId.value !== "Late" || created) return null;
      created = true;
      return namespace.addVariable({ organizedBy: server.engine.addressSpace!.rootFolder.objects, browseName: "Late", nodeId: "s=Late", dataType: "Double" });
    });
    const read = await session.read({ nodeId: "ns=2;s=Late", attributeId: AttributeIds.BrowseName });
    assert.equal(read.value.value?.name, "Late");
    const subscription = await subscribe();
    const item = await subscription.monitor({ nodeId: "ns=2;s=Nowhere", attributeId: AttributeIds.Value }, { samplingInterval: 100, queueSize: 1 }, TimestampsToReturn.Both);
    assert.equal(item.statusCode.name, "BadNodeIdUnknown");
    assert.ok(lookedUp.includes("Nowhere"), `looked up: ${lookedUp.join(", ")}`);
    await subscription.terminate();
    const paths: string[] = [];
    beforeTranslateBrowsePath(server.engine, (browsePath) => paths.push(browsePath.relativePath.elements?.map((e) => e.targetName.name).join("/") ?? ""));
    const [result] = await session.translateBrowsePath([makeBrowsePath("i=85", "/2:Late")]);
    assert.equal(result.statusCode.name, "Good");
    assert.deepEqual(paths, ["Late"]);
  });
});

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
