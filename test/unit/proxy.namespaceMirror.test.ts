import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataType, DataValue, LocalizedText, makeNodeId, NodeClass, NodeId, ObjectIds, ReferenceTypeIds, VariableTypeIds, OPCUAServer } from "node-opcua";
import { EndpointNamespaces } from "../../engine/src/proxy/endpointNamespaces";
import { NamespaceMirror } from "../../engine/src/proxy/namespaceMirror";
import type { UpstreamNamespace, UpstreamNode } from "../../engine/src/proxy/upstreamNamespace";
import { NamespaceStore } from "../../engine/src/state/namespaceStore";
import { STANDARD_NAMESPACE } from "../../engine/src/namespaces/namespaceIdentity";

/** An upstream namespace of `count` Double variables below Objects, as readUpstreamNamespace gives it. */
function plant(count: number): UpstreamNamespace {
  const objects = makeNodeId(ObjectIds.ObjectsFolder).toString();
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

describe("the endpoint's mirror of an upstream namespace", () => {
  it("mirrors a large namespace in slices: the engine's other work goes on meanwhile", async () => {
    const server = new OPCUAServer();
    await server.initialize();
    const addressSpace = server.engine.addressSpace!;
    const bound: string[] = [];
    const mirror = new NamespaceMirror(addressSpace, new EndpointNamespaces(addressSpace, new NamespaceStore()), { variable: (v) => bound.push(v.browseName.name!), method: () => undefined });
    let ticks = 0;
    const other = setInterval(() => ticks++, 1);
    try {
      const added = await mirror.extend(plant(3000));
      assert.equal(added, 3000);
      assert.equal(bound.length, 3000, "each variable bound once");
      // Created in one go (3,000 × ~0.25 ms), no timer of the engine's would run until the end.
      assert.ok(ticks >= 5, `the engine's timers ran ${ticks} times while 3,000 nodes were mirrored`);
      assert.equal(await mirror.extend(plant(3000)), 0, "nodes already mirrored are not added again");
    } finally {
      clearInterval(other);
      await server.shutdown(0);
    }
  });
});
