import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AttributeIds, MessageSecurityMode, OPCUACertificateManager, OPCUAClient, OPCUAServer, packTcpMessage, SecurityPolicy, StatusCodes, TCPErrorMessage } from "node-opcua";
import { replaceChannelRefusals } from "../../engine/src/opcuaInternals";
import { reservePort } from "../support/portReservation";
import { decodeErrorMessage, WireRecorder } from "../support/wireRecorder";

// The node-opcua secure channel internal the endpoint relies on (engine/src/opcuaInternals/channelInternals.ts),
// exercised against a real server and client in this process: when an upgrade of node-opcua changes
// how a server channel sends its replies, this file says so.
// Ports 23471–23472 belong to this file.
const PORT = 23471;
const RELAY_PORT = 23472;

describe("node-opcua server channel internals the endpoint uses", () => {
  const scratch = mkdtempSync(join(tmpdir(), "rm-channel-internals-"));
  let server: OPCUAServer;
  const clients: OPCUAClient[] = [];

  const client = (mode: MessageSecurityMode): OPCUAClient => {
    const c = OPCUAClient.create({
      endpointMustExist: false,
      connectionStrategy: { maxRetry: 0 },
      securityMode: mode,
      securityPolicy: mode === MessageSecurityMode.None ? SecurityPolicy.None : SecurityPolicy.Basic256Sha256,
      clientCertificateManager: new OPCUACertificateManager({ rootFolder: join(scratch, "client"), automaticallyAcceptUnknownCertificate: true }),
    });
    clients.push(c);
    return c;
  };

  before(async () => {
    for (const port of [PORT, RELAY_PORT]) assert.ok(reservePort(port), `port ${port} is free of other test processes`);
    server = new OPCUAServer({ port: PORT, serverCertificateManager: new OPCUACertificateManager({ rootFolder: join(scratch, "server"), automaticallyAcceptUnknownCertificate: false }) });
    await server.start();
    replaceChannelRefusals((status) => packTcpMessage("ERR", new TCPErrorMessage({ statusCode: status, reason: `refused here (${status.name})` })));
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.disconnect().catch(() => undefined)));
    await server?.shutdown(0);
    rmSync(scratch, { recursive: true, force: true });
  });

  it("sends the given reply instead of node-opcua's to a refused OpenSecureChannel", async () => {
    const relay = await WireRecorder.start(RELAY_PORT, { host: "127.0.0.1", port: PORT });
    try {
      await assert.rejects(client(MessageSecurityMode.Sign).connect(`opc.tcp://127.0.0.1:${RELAY_PORT}`));
      // The client first fetched the server's certificate over a channel without security (ACK, OPN, MSG…).
      const replies = relay.messages().slice(-2);
      assert.deepEqual(
        replies.map((m) => m.type),
        ["ACK", "ERR"],
      );
      assert.deepEqual(decodeErrorMessage(replies[1]), { status: StatusCodes.BadSecurityChecksFailed.value, reason: "refused here (BadSecurityChecksFailed)" });
    } finally {
      await relay.close();
    }
  });

  it("passes every other reply through as node-opcua sends it", async () => {
    const plain = client(MessageSecurityMode.None);
    await plain.connect(`opc.tcp://127.0.0.1:${PORT}`);
    const session = await plain.createSession();
    const state = await session.read({ nodeId: "i=2259", attributeId: AttributeIds.Value });
    assert.equal(state.statusCode, StatusCodes.Good);
    await session.close();
  });
});
