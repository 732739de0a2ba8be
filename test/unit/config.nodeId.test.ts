import assert from "node:assert/strict";
import { describe as suite, it } from "node:test";
import { coerceNodeId, resolveNodeId } from "node-opcua-nodeid";
import { isNodeId } from "../../engine/src/config/rules/RM060-nodeId";
import { identityIn, nodeIdIn } from "../../engine/src/namespaces/namespaceIdentity";

const VALID = [
  "i=2258",
  "i=1",
  "i=4294967295",
  "ns=0;i=85",
  "ns=2;s=Channel_1.Device_1.Tag_1",
  "ns=2;s=with;semicolons=and equals",
  "ns=3;s=Ünïcödé/Tag 1",
  "ns=65535;i=1",
  "ns=1;g=72962B91-FA75-4AE6-8D28-B404DC7DAF63",
  "ns=1;g=72962b91-fa75-4ae6-8d28-b404dc7daf63",
  "ns=1;b=M/RbKBsRVkePCePcx24oRA==",
  "b=AAAA",
  "s=x",
];

/** Ids node-opcua refuses as well. */
const REJECTED_BY_BOTH = ["2258", "ServerStatus", "ns=2;x=Tag", "ns=70000;i=1", "i=4294967296", "ns=1;i=-1", " i=1", "g=zz", "ns=2", "nsu=;s=a", "nsu=urn:x"];

/** The ExpandedNodeId form with a namespace URI: node-opcua cannot parse it, the engine translates it (namespaces/namespaceIdentity.ts). */
const BY_URI = ["nsu=urn:x;s=a", "nsu=http://vendor.example/UA/;i=17", "nsu=urn:x;s=with;semicolons"];

/** Ids node-opcua reads as a different NodeId without complaint: RM060 catches them before they mislead. */
const MISREAD_BY_NODE_OPCUA = ["i=abc", "i= 1", "b=!!", "ns=2;s=a\nb"];

/** Null NodeIds: node-opcua reads them as empty, naming no node. */
const NULL_IDS = ["", "i=0", "ns=0;i=0", "ns=3;i=0", "s=", "ns=1;g=00000000-0000-0000-0000-000000000000"];

/** What node-opcua makes of an id: its canonical string, or undefined when it refuses it. */
function opcua(id: string): string | undefined {
  try {
    return coerceNodeId(id).toString();
  } catch {
    return undefined;
  }
}

/** The canonical string of a NodeId text (namespace 0 spelt out, numbers without leading zeros). */
function canonical(id: string): string {
  const withNs = id.startsWith("ns=") ? id : `ns=0;${id}`;
  return withNs.replace(/;i=0*(\d)/, ";i=$1").replace(/;g=(.*)$/, (_, g: string) => `;g=${g.toUpperCase()}`);
}

suite("RM060 agrees with node-opcua's NodeId parser", () => {
  for (const id of VALID) {
    it(`accepts ${JSON.stringify(id)}, which node-opcua reads as the same NodeId`, () => {
      assert.equal(isNodeId(id), true);
      assert.equal(opcua(id), canonical(id));
      assert.equal(resolveNodeId(id).toString(), canonical(id));
    });
  }

  for (const id of REJECTED_BY_BOTH) {
    it(`rejects ${JSON.stringify(id)}, as node-opcua does`, () => {
      assert.equal(isNodeId(id), false);
      assert.equal(opcua(id), undefined);
    });
  }

  for (const id of BY_URI) {
    it(`accepts ${JSON.stringify(id)}, which the engine reads through the namespace table of each server`, () => {
      assert.equal(isNodeId(id), true);
      assert.equal(opcua(id), undefined);
      const onServer = nodeIdIn(identityIn(id, [])!, ["http://opcfoundation.org/UA/", "urn:own", "urn:x", "http://vendor.example/UA/"]);
      assert.equal(onServer, id.replace(/^nsu=urn:x;/, "ns=2;").replace(/^nsu=http:\/\/vendor.example\/UA\/;/, "ns=3;"));
      assert.equal(opcua(onServer!), canonical(onServer!));
    });
  }

  for (const id of MISREAD_BY_NODE_OPCUA) {
    it(`rejects ${JSON.stringify(id)}, which node-opcua would misread`, () => {
      assert.equal(isNodeId(id), false);
      const read = opcua(id);
      assert.notEqual(read, undefined);
      assert.notEqual(read, canonical(id));
    });
  }

  for (const id of NULL_IDS) {
    it(`rejects ${JSON.stringify(id)}, the null NodeId to node-opcua`, () => {
      assert.equal(isNodeId(id), false);
      assert.equal(coerceNodeId(id).isEmpty(), true);
    });
  }

  it("accepts nothing node-opcua reads as empty", () => {
    for (const id of VALID) assert.equal(coerceNodeId(id).isEmpty(), false, id);
  });
});
