import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { makeNodeId, NodeClass, NodeId, NodeIdType, type LocalizedText } from "node-opcua";
import { namespaceDiff, namespaceKeys } from "../../engine/src/proxy/namespaceSync";
import { nodeKey, type UpstreamNamespace } from "../../engine/src/proxy/upstreamNamespace";

/** The keys of a namespace of string-identified objects in `uri`, whose index in the namespace table is `index`. */
function namespace(uri: string, index: number, names: string[]): Set<string> {
  return namespaceKeys(upstream(uri, index, names));
}

function upstream(uri: string, index: number, names: string[]): UpstreamNamespace {
  const namespaceUris = ["http://opcfoundation.org/UA/", ...Array.from({ length: index - 1 }, (_, i) => `urn:other:${i}`), uri];
  return {
    namespaceUris,
    nodes: names.map((name) => {
      const nodeId = new NodeId(NodeIdType.STRING, name, index);
      return {
        key: nodeKey(nodeId, namespaceUris),
        nodeId,
        nodeClass: NodeClass.Object,
        parents: [{ parent: "i=85", referenceTypeId: makeNodeId(35) }],
        browseName: { name, namespaceUri: uri },
        displayName: { text: name } as LocalizedText,
        typeDefinition: makeNodeId(58),
      };
    }),
  };
}

describe("namespace comparison of the two sides", () => {
  it("keys nodes by namespace URI, so a different namespace order is no difference", () => {
    assert.equal(namespaceDiff(namespace("urn:plant", 2, ["A", "B"]), namespace("urn:plant", 5, ["B", "A"])), undefined);
  });

  it("lists what each side lacks", () => {
    assert.deepEqual(namespaceDiff(namespace("urn:plant", 2, ["A", "B"]), namespace("urn:plant", 3, ["B", "C"])), {
      missingOnPrimary: ["nsu=urn:plant;s=C"],
      missingOnSecondary: ["nsu=urn:plant;s=A"],
    });
  });
});
