import assert from "node:assert/strict";
import { describe as suite, it } from "node:test";
import { configItemIdentity, identityIn, namespaceOf, nodeIdIn, STANDARD_NAMESPACE } from "../../engine/src/namespaces/namespaceIdentity";

const PRIMARY = [STANDARD_NAMESPACE, "urn:primary", "urn:plant"];
/** The same plant on a server with one more namespace before it (another plug-in, another start-up order). */
const SECONDARY = [STANDARD_NAMESPACE, "urn:secondary", "urn:vendor:extra", "urn:plant"];

suite("node identity across namespace tables", () => {
  it("names a node by its namespace URI, so that both servers' NodeIds of it have one identity", () => {
    const onPrimary = identityIn("ns=2;s=Counter", PRIMARY);
    assert.equal(onPrimary, "nsu=urn:plant;s=Counter");
    assert.equal(identityIn("ns=3;s=Counter", SECONDARY), onPrimary);
    assert.equal(nodeIdIn(onPrimary!, SECONDARY), "ns=3;s=Counter");
    assert.equal(nodeIdIn(onPrimary!, PRIMARY), "ns=2;s=Counter");
  });

  it("keeps standard nodes in their plain form, whatever the tables", () => {
    assert.equal(identityIn("i=2258", PRIMARY), "i=2258");
    assert.equal(identityIn("ns=0;i=85", SECONDARY), "i=85");
    assert.equal(identityIn(`nsu=${STANDARD_NAMESPACE};i=85`, []), "i=85");
    assert.equal(nodeIdIn("i=2258", SECONDARY), "i=2258");
    assert.equal(namespaceOf("i=2258"), STANDARD_NAMESPACE);
  });

  it("has no NodeId for a namespace the server lacks, and no identity for an index its table lacks", () => {
    assert.equal(nodeIdIn("nsu=urn:vendor:extra;i=5", PRIMARY), undefined);
    assert.equal(identityIn("ns=7;s=X", PRIMARY), undefined);
  });

  it("keeps every identifier kind and a string identifier's own semicolons and equal signs", () => {
    for (const identifier of ["i=17", "s=a;b=c", "g=72962B91-FA75-4AE6-8D28-B404DC7DAF63", "b=M/RbKBsRVkePCePcx24oRA=="]) {
      const id = identityIn(`ns=2;${identifier}`, PRIMARY)!;
      assert.equal(nodeIdIn(id, SECONDARY), `ns=3;${identifier}`);
    }
  });

  it("percent-encodes a URI's semicolons and percent signs, and reads them back", () => {
    const table = [STANDARD_NAMESPACE, "urn:a;b%c"];
    const id = identityIn("ns=1;s=X", table)!;
    assert.equal(id, "nsu=urn:a%3Bb%25c;s=X");
    assert.equal(namespaceOf(id), "urn:a;b%c");
    assert.equal(nodeIdIn(id, table), "ns=1;s=X");
  });

  it("reads a config item's ns= in the primary's table, nsu= as written, and the server's own table when no primary table is known", () => {
    assert.equal(configItemIdentity("ns=2;s=Counter", PRIMARY, SECONDARY), "nsu=urn:plant;s=Counter");
    assert.equal(configItemIdentity("nsu=urn:plant;s=Counter", undefined, SECONDARY), "nsu=urn:plant;s=Counter");
    assert.equal(configItemIdentity("ns=3;s=Counter", undefined, SECONDARY), "nsu=urn:plant;s=Counter");
  });
});
