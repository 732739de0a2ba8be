import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AttributeIds, OPCUACertificateManager, OPCUAClient, OPCUAServer, TimestampsToReturn, UserTokenType, type DeleteMonitoredItemsRequest } from "node-opcua";
import { deleteMonitoredItems, destroyClientSocket, pinServerCertificate } from "../../engine/src/opcuaInternals";
import { reservePort } from "../support/portReservation";

// Each node-opcua client internal the engine relies on (engine/src/opcuaInternals/clientInternals.ts),
// exercised against a real server in this process: when an upgrade of node-opcua changes one of
// them, this file says which.
// Port 23470 belongs to this file.
const PORT = 23470;
const URL = `opc.tcp://127.0.0.1:${PORT}`;
const USER = { type: UserTokenType.UserName as const, userName: "operator", password: "secret" };

describe("node-opcua client internals the engine uses", () => {
  let server: OPCUAServer;
  const clients: OPCUAClient[] = [];

  const connected = async (): Promise<OPCUAClient> => {
    const clientCertificateManager = new OPCUACertificateManager({ rootFolder: join(tmpdir(), "redundancymaster-pki", "test-client-internals"), automaticallyAcceptUnknownCertificate: true });
    const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager });
    clients.push(client);
    await client.connect(URL);
    return client;
  };

  before(async () => {
    assert.ok(reservePort(PORT), `port ${PORT} is free of other test processes`);
    const pki = join(tmpdir(), "redundancymaster-proxy-test-pki", String(PORT));
    server = new OPCUAServer({
      port: PORT,
      serverCertificateManager: new OPCUACertificateManager({ rootFolder: pki, automaticallyAcceptUnknownCertificate: true }),
      userManager: { isValidUser: (userName: string, password: string) => userName === USER.userName && password === USER.password },
    });
    await server.start();
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.disconnect().catch(() => undefined)));
    await server?.shutdown(0);
  });

  it("encrypts the user token for the pinned certificate, not the one CreateSession names", async () => {
    const pinnedRight = await connected();
    pinServerCertificate(pinnedRight, server.getCertificate());
    const session = await pinnedRight.createSession(USER);
    await session.close();

    // The client's own certificate is a real one, but not the server's: the server cannot read a token encrypted for it.
    const pinnedWrong = await connected();
    pinServerCertificate(pinnedWrong, pinnedWrong.getCertificate());
    await assert.rejects(pinnedWrong.createSession(USER), /BadIdentityTokenInvalid|BadUserAccessDenied|BadIdentityTokenRejected/);
  });

  it("destroys the client's socket at once: the client sees its connection closed, the server loses the channel", async () => {
    const client = await connected();
    const before = server.currentChannelCount;
    let closed = false;
    client.once("close", () => (closed = true));
    destroyClientSocket(client);
    await waitFor(() => closed && server.currentChannelCount === before - 1, "the client to see its connection closed and the server to lose the channel");
  });

  it("deletes several monitored items in one request: the server holds the others only, and the client forgets them", async () => {
    const session = await (await connected()).createSession();
    const subscription = await session.createSubscription2({ requestedPublishingInterval: 100, publishingEnabled: true });
    // ServerStatus's CurrentTime, State, StartTime, BuildInfo and SecondsTillShutdown.
    const nodes = ["i=2258", "i=2259", "i=2257", "i=2260", "i=2992"];
    const group = await subscription.monitorItems(
      nodes.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })),
      { samplingInterval: 100, queueSize: 1, discardOldest: true },
      TimestampsToReturn.Both,
    );
    const kept = group.monitoredItems.slice(0, 2);
    const deleted = group.monitoredItems.slice(2);
    const requests: number[] = [];
    const count = (request: { schema: { name: string } }) => {
      if (request.schema.name === "DeleteMonitoredItemsRequest") requests.push((request as DeleteMonitoredItemsRequest).monitoredItemIds?.length ?? 0);
    };
    server.on("request", count);
    try {
      await deleteMonitoredItems(deleted);
    } finally {
      server.off("request", count);
    }
    assert.deepEqual(requests, [3], "one request for the three items");
    const onServer = await subscription.getMonitoredItems();
    assert.deepEqual([...onServer.serverHandles].sort(), kept.map((item) => item.monitoredItemId).sort(), "the server holds the two kept items only");
    assert.deepEqual(Object.keys(subscription.monitoredItems).length, 2, "the client's subscription forgets the deleted ones");
  });
});

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
