import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  AttributeIds,
  BrowseDirection,
  DataType,
  DataValue,
  LocalizedText,
  makeBrowsePath,
  makeNodeId,
  NodeClass,
  NodeId,
  ObjectIds,
  ObjectTypeIds,
  OPCUACertificateManager,
  OPCUAClient,
  OPCUAServer,
  ReferenceTypeIds,
  VariableTypeIds,
  TimestampsToReturn,
  type ClientSession,
} from "node-opcua";
import { EndpointNamespaces } from "../../engine/src/proxy/endpointNamespaces";
import { NamespaceMirror } from "../../engine/src/proxy/namespaceMirror";
import type { UpstreamNamespace, UpstreamNode } from "../../engine/src/proxy/upstreamNamespace";
import { NamespaceStore } from "../../engine/src/state/namespaceStore";
import { STANDARD_NAMESPACE } from "../../engine/src/namespaces/namespaceIdentity";

/** An upstream namespace of `count` Double variables below Objects, as readUpstreamNamespace gives it. */
function plant(count: number): UpstreamNamespace {
  const objects = `i=${ObjectIds.ObjectsFolder}`;
  const nodes: UpstreamNode[] = Array.from({ length: count }, (_, i) => ({
    key: `nsu=urn:plant;s=Tag${i}`,
    nodeId: new NodeId(NodeId.NodeIdType.STRING, `Tag${i}`, 1),
    nodeClass: NodeClass.Variable,
    parents: [{ parent: objects, referenceTypeId: makeNodeId(ReferenceTypeIds.Organizes) }],
    browseName: { name: `Tag${i}`, namespaceUri: "urn:plant" },
    displayName: new LocalizedText({ text: `Tag${i}` }),
    typeDefinition: makeNodeId(VariableTypeIds.BaseDataVariableType),
    variable: {
      dataType: makeNodeId(DataType.Double),
      valueRank: -1,
      accessLevel: 1,
      userAccessLevel: 1,
      historizing: false,
      minimumSamplingInterval: 0,
      value: new DataValue({ value: { dataType: DataType.Double, value: i } }),
    },
  }));
  return { namespaceUris: [STANDARD_NAMESPACE, "urn:plant"], nodes };
}

/** A plant folder below Objects with `count` tags and a line whose motor is two levels down, as readUpstreamNamespace gives it. */
function plantFolder(count: number, extra: string[] = []): UpstreamNamespace {
  const objects = `i=${ObjectIds.ObjectsFolder}`;
  const object = (name: string, parent: string): UpstreamNode => ({
    key: `nsu=urn:plant;s=${name}`,
    nodeId: new NodeId(NodeId.NodeIdType.STRING, name, 1),
    nodeClass: NodeClass.Object,
    parents: [{ parent, referenceTypeId: makeNodeId(ReferenceTypeIds.Organizes) }],
    browseName: { name, namespaceUri: "urn:plant" },
    displayName: new LocalizedText({ text: name }),
    typeDefinition: makeNodeId(ObjectTypeIds.FolderType),
  });
  const tags = plant(count).nodes.concat(extra.map((name) => ({ ...plant(1).nodes[0], key: `nsu=urn:plant;s=${name}`, browseName: { name, namespaceUri: "urn:plant" } })));
  for (const tag of tags) tag.parents = [{ parent: "nsu=urn:plant;s=Plant", referenceTypeId: makeNodeId(ReferenceTypeIds.HasComponent) }];
  const motor = {
    ...plant(1).nodes[0],
    key: "nsu=urn:plant;s=Motor",
    browseName: { name: "Motor", namespaceUri: "urn:plant" },
    parents: [{ parent: "nsu=urn:plant;s=Line", referenceTypeId: makeNodeId(ReferenceTypeIds.HasComponent) }],
  };
  return { namespaceUris: [STANDARD_NAMESPACE, "urn:plant"], nodes: [object("Plant", objects), object("Line", "nsu=urn:plant;s=Plant"), ...tags, motor] };
}

/** How many times a 1 ms timer (the engine's other work) ran while `work` went on. */
async function timerRunsDuring(work: () => Promise<void>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe("the endpoint's mirror of an upstream namespace", () => {
  it("mirrors a large namespace in slices: the engine's other work goes on meanwhile", async () => {
    const server = new OPCUAServer();
    await server.initialize();
    const addressSpace = server.engine.addressSpace!;
    const bound: string[] = [];
    const mirror = new NamespaceMirror(addressSpace, new EndpointNamespaces(addressSpace, new NamespaceStore()), { variable: (v) => bound.push(v.browseName.name!), method: () => undefined });
    try {
      let added = 0;
      const ticks = await timerRunsDuring(async () => {
        added = await mirror.extend(plant(3000));
      });
      assert.equal(added, 3000);
      assert.equal(bound.length, 3000, "each variable below Objects created and bound once");
      // Created in one go (3,000 × ~0.25 ms), no timer of the engine's would run until the end.
      assert.ok(ticks >= 5, `the engine's timers ran ${ticks} times while 3,000 nodes were mirrored`);
      assert.equal(await mirror.extend(plant(3000)), 0, "nodes already mirrored are not added again");
    } finally {
      await server.shutdown(0);
    }
  });

  describe("created as clients use it", () => {
    // Port 23540 belongs to this block.
    let server: OPCUAServer;
    let client: OPCUAClient;
    let session: ClientSession;
    let mirror: NamespaceMirror;
    let ns: number;
    const bound: string[] = [];

    before(async () => {
      server = new OPCUAServer({
        port: 23540,
        serverCertificateManager: new OPCUACertificateManager({ rootFolder: join(tmpdir(), "redundancymaster-proxy-test-pki", "23540"), automaticallyAcceptUnknownCertificate: true }),
      });
      await server.initialize();
      const addressSpace = server.engine.addressSpace!;
      mirror = new NamespaceMirror(addressSpace, new EndpointNamespaces(addressSpace, new NamespaceStore()), { variable: (v) => bound.push(v.browseName.name!), method: () => undefined });
      mirror.attach(server);
      assert.equal(await mirror.extend(plantFolder(6000)), 6003, "every node of the upstream is mirrored");
      ns = addressSpace.getNamespaceIndex("urn:plant");
      await server.start();
      client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
      await client.connect("opc.tcp://127.0.0.1:23540");
      session = await client.createSession();
    });

    /** The hierarchical references of a plant node, one way. */
    const hierarchy = (name: string, browseDirection: BrowseDirection) =>
      session.browse({ nodeId: `ns=${ns};s=${name}`, browseDirection, referenceTypeId: makeNodeId(ReferenceTypeIds.HierarchicalReferences), includeSubtypes: true, resultMask: 0x3f });

    after(async () => {
      await session?.close();
      await client?.disconnect();
      await server?.shutdown(0);
    });

    it("creates at first only the children of Objects: a plant's 6,003 nodes cost one until a client uses them", () => {
      assert.equal(mirror.size, 1);
      assert.deepEqual(bound, []);
    });

    it("creates a node a client reads without browsing to it, with its parent, and binds it", async () => {
      const read = await session.read({ nodeId: `ns=${ns};s=Tag7`, attributeId: AttributeIds.Value });
      assert.equal(read.statusCode.name, "Good");
      assert.equal(read.value.value, 7);
      assert.deepEqual(bound, ["Tag7"]);
      const parent = await hierarchy("Tag7", BrowseDirection.Inverse);
      assert.deepEqual(
        parent.references?.map((r) => r.browseName.name),
        ["Plant"],
      );
      const unknown = await session.read({ nodeId: `ns=${ns};s=NoSuchTag`, attributeId: AttributeIds.Value });
      assert.equal(unknown.statusCode.name, "BadNodeIdUnknown");
    });

    it("finds a node two levels down by its browse path from Objects", async () => {
      const [result] = await session.translateBrowsePath([makeBrowsePath("i=85", `/${ns}:Plant/${ns}:Line/${ns}:Motor`)]);
      assert.equal(result.statusCode.name, "Good");
      assert.equal(result.targets?.[0].targetId.toString(), `ns=${ns};s=Motor`);
    });

    it("creates the nodes a client subscribes to, never browsed, in slices before node-opcua creates its items", async () => {
      const subscription = await session.createSubscription2({ requestedPublishingInterval: 100, publishingEnabled: true, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 100 });
      const ticks = await timerRunsDuring(async () => {
        for (const first of [3000, 4000, 5000]) {
          const group = await subscription.monitorItems(
            Array.from({ length: 1000 }, (_, i) => ({ nodeId: `ns=${ns};s=Tag${first + i}`, attributeId: AttributeIds.Value })),
            { samplingInterval: 1000, queueSize: 1 },
            TimestampsToReturn.Both,
          );
          assert.deepEqual([...new Set(group.monitoredItems.map((m) => m.statusCode.name))], ["Good"]);
        }
      });
      await subscription.terminate();
      // 3,000 × ~0.25 ms made in the requests' handlers would leave the timer a handful of runs.
      assert.ok(ticks >= 30, `the engine's timers ran ${ticks} times while 3,000 nodes were created`);
      assert.equal(mirror.size, 3004, "the plant, the line and its motor (the browse path), Tag7 (the read) and the 3,000 subscribed");
    });

    it("lists all of a folder's children at its first browse, created in slices meanwhile the engine's other work goes on", async () => {
      let references = 0;
      const ticks = await timerRunsDuring(async () => {
        references = (await hierarchy("Plant", BrowseDirection.Forward)).references?.length ?? 0;
      });
      assert.equal(references, 6001, "6,000 tags and the line");
      // 3,000 × ~0.25 ms made at once would leave the timer a handful of runs.
      assert.ok(ticks >= 30, `the engine's timers ran ${ticks} times while 3,000 nodes were created`);
      assert.equal(new Set(bound).size, 6001, "each variable bound once");
    });

    it("creates at once a node the other side adds below a folder already browsed", async () => {
      assert.equal(await mirror.extend(plantFolder(6000, ["OnlyOnSecondary"])), 1);
      const browsed = await hierarchy("Plant", BrowseDirection.Forward);
      assert.ok(browsed.references?.some((r) => r.browseName.name === "OnlyOnSecondary"));
    });
  });
});
