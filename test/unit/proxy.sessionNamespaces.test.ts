import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { OPCUACertificateManager, OPCUAClient, OPCUAServer, type ClientSession } from "node-opcua";
import { SessionNamespaces } from "../../engine/src/proxy/namespaceSync";

// Port 23480 belongs to this file.
const PORT = 23480;

/** A real server on PORT with the given variables in urn:plant, counting the Browse requests it answers. */
async function plantServer(variables: string[]): Promise<{ server: OPCUAServer; browses: () => number }> {
  const pki = join(tmpdir(), "redundancymaster-proxy-test-pki", String(PORT));
  const server = new OPCUAServer({ port: PORT, serverCertificateManager: new OPCUACertificateManager({ rootFolder: pki, automaticallyAcceptUnknownCertificate: true }) });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const namespace = addressSpace.registerNamespace("urn:plant");
  for (const name of variables) namespace.addVariable({ organizedBy: addressSpace.rootFolder.objects, browseName: name, nodeId: `s=${name}`, dataType: "Double" });
  let browses = 0;
  server.on("request", (request: { constructor: { name: string } }) => {
    if (request.constructor.name === "BrowseRequest") browses++;
  });
  await server.start();
  return { server, browses: () => browses };
}

describe("an upstream server's namespace, read once per run of that server", () => {
  const clients: OPCUAClient[] = [];
  let server: OPCUAServer | undefined;
  after(async () => {
    await Promise.all(clients.map((c) => c.disconnect()));
    await server?.shutdown(0);
  });

  async function session(): Promise<ClientSession> {
    const clientCertificateManager = new OPCUACertificateManager({ rootFolder: join(tmpdir(), "redundancymaster-pki", "test-direct"), automaticallyAcceptUnknownCertificate: true });
    const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager });
    clients.push(client);
    await client.connect(`opc.tcp://127.0.0.1:${PORT}`);
    return client.createSession();
  }
  const sorted = (keys: ReadonlySet<string>) => [...keys].sort();

  it("gives a new session to a server that has not restarted the first read, and reads a restarted server again", async () => {
    const first = await plantServer(["Flow", "Level"]);
    server = first.server;
    const used: string[][] = [];
    const namespaces = new SessionNamespaces(async (namespace) => used.push(namespace.nodes.map((n) => n.key).sort()));
    const read = await namespaces.read(await session());
    assert.deepEqual(sorted(read), ["nsu=urn:plant;s=Flow", "nsu=urn:plant;s=Level"]);
    assert.deepEqual(used, [sorted(read)], "the mirror had the read");
    const browsed = first.browses();
    assert.ok(browsed > 0);

    // A reconnect: a new session (a new connection) to the same run of the server.
    const again = await namespaces.read(await session());
    assert.equal(again, read, "the first read, as it was");
    assert.equal(first.browses(), browsed, "nothing browsed again");
    assert.equal(used.length, 1, "nor mirrored again");

    await Promise.all(clients.splice(0).map((c) => c.disconnect()));
    await first.server.shutdown(0);
    const restarted = await plantServer(["Flow", "Level", "Pressure"]);
    server = restarted.server;
    const afterRestart = await namespaces.read(await session());
    assert.ok(restarted.browses() > 0, "a restarted server is browsed again");
    assert.deepEqual(sorted(afterRestart), ["nsu=urn:plant;s=Flow", "nsu=urn:plant;s=Level", "nsu=urn:plant;s=Pressure"]);
    assert.deepEqual(used.at(-1), sorted(afterRestart), "the restarted server's read went to the mirror");
  });
});
