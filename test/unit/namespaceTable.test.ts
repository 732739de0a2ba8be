import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { OPCUAServer } from "node-opcua";
import { STANDARD_NAMESPACE } from "../../engine/src/namespaces/namespaceIdentity";
import { EndpointNamespaces } from "../../engine/src/proxy/endpointNamespaces";
import { NamespaceStore } from "../../engine/src/state/namespaceStore";
import { namespaceFile } from "../../engine/src/state/stateDir";

const PRIMARY = [STANDARD_NAMESPACE, "urn:primary", "urn:plant"];
const SECONDARY = [STANDARD_NAMESPACE, "urn:secondary", "urn:vendor:extra", "urn:plant"];

/** A fresh endpoint address space (what node-opcua gives the endpoint before it mirrors anything). */
async function addressSpace() {
  const server = new OPCUAServer({ serverInfo: { applicationUri: "urn:endpoint" } });
  await server.initialize();
  return { addressSpace: server.engine.addressSpace!, close: () => server.shutdown(0) };
}

describe("the endpoint's namespace table", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "rm-namespaces-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("numbers the primary's namespaces first, appends the secondary's new ones, and keeps both across a restart in which the secondary comes first", async () => {
    const file = namespaceFile(join(dir, "state"), join(dir, "redundancymaster.xml"), "Line 4/A");
    const store = new NamespaceStore(file);
    await store.load();
    const first = await addressSpace();
    const endpoint = new EndpointNamespaces(first.addressSpace, store);
    endpoint.adopt(PRIMARY);
    endpoint.adopt(SECONDARY);
    assert.deepEqual(endpoint.table.slice(2), ["urn:primary", "urn:plant", "urn:secondary", "urn:vendor:extra"]);
    await store.flushed();
    await first.close();

    const restored = new NamespaceStore(file);
    await restored.load();
    const second = await addressSpace();
    const again = new EndpointNamespaces(second.addressSpace, restored);
    again.adopt(SECONDARY);
    assert.deepEqual(again.table, endpoint.table, "no index moved");
    assert.equal(again.indexOf("urn:new"), 6, "a URI seen later is appended");
    await second.close();
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  it("translates endpoint NodeIds to identities and back", async () => {
    const space = await addressSpace();
    const endpoint = new EndpointNamespaces(space.addressSpace, new NamespaceStore());
    endpoint.adopt(SECONDARY);
    const nodeId = endpoint.nodeIdOf("nsu=urn:plant;s=Counter");
    assert.equal(nodeId.toString(), "ns=4;s=Counter");
    assert.equal(endpoint.identityOf(nodeId), "nsu=urn:plant;s=Counter");
    assert.equal(endpoint.nodeIdOf("nsu=urn:later;i=5").toString(), "ns=5;i=5", "a node of a namespace not seen yet gets it an index");
    await space.close();
  });

  it("keeps the primary's table as last seen, for config ns= ids while the primary is down", async () => {
    const file = join(dir, "primary.json");
    const store = new NamespaceStore(file);
    store.setPrimary(SECONDARY);
    await store.flushed();
    const read = new NamespaceStore(file);
    await read.load();
    assert.deepEqual(read.primary, SECONDARY);
  });

  it("refuses to start from a file that is not a namespace table, rather than numbering anew", async () => {
    const file = join(dir, "broken.json");
    await writeFile(file, "{ not json");
    await assert.rejects(new NamespaceStore(file).load(), /is not valid JSON .*remove it to let the endpoint number its namespaces anew/);
    await writeFile(file, JSON.stringify({ format: "redundancymaster-namespaces", version: 1, endpoint: [3] }));
    await assert.rejects(new NamespaceStore(file).load(), /is not a version 1 namespace table file/);
  });

  it("reports a write that fails, keeps the indexes in memory, and writes them at the next change", async () => {
    const blocker = join(dir, "a-file");
    await writeFile(blocker, "");
    const failures: string[] = [];
    const store = new NamespaceStore(join(blocker, "table.json"), (detail) => failures.push(detail));
    store.appendEndpoint("urn:a");
    await store.flushed();
    assert.equal(failures.length, 1);
    assert.match(failures[0], /^E[A-Z]+$/, "the system's error code");
    assert.deepEqual(store.endpoint, ["urn:a"]);
    await rm(blocker);
    store.appendEndpoint("urn:b");
    await store.flushed();
    assert.deepEqual(JSON.parse(await readFile(join(blocker, "table.json"), "utf8")).endpoint, ["urn:a", "urn:b"]);
  });
});
