import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { randomBytes } from "node:crypto";
import { ApplicationType, CreateSessionRequest, MessageSecurityMode, OPCUACertificateManager, OPCUAClient, SecurityPolicy, StatusCodes } from "node-opcua";
import { startPairEndpoint, type PairEndpoint } from "../../engine/src/proxy/pairEndpoint";
import { ProxyFixture } from "../support/proxyFixture";
import { decodeErrorMessage, WireRecorder } from "../support/wireRecorder";

/** Resolves true when a TCP connection to host:port is accepted, false when it is refused. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
    socket.once("timeout", () => {
      socket.destroy();
      done(false);
    });
  });
}

/** The machine's IPv4 address on a network (not loopback): where clients on other machines would connect. */
function networkAddress(): string {
  const found = Object.values(networkInterfaces())
    .flatMap((l) => l ?? [])
    .find((a) => a.family === "IPv4" && !a.internal);
  assert.ok(found, "this test needs a network interface with an IPv4 address besides loopback");
  return found.address;
}

// Ports 23660–23664 belong to this file.
describe("proxy endpoint: where it listens, what it offers there, and how it refuses a client", () => {
  let fx: ProxyFixture;
  let onNetwork: PairEndpoint | undefined;
  const scratch = mkdtempSync(join(tmpdir(), "rm-proxy-listen-"));
  const clients: OPCUAClient[] = [];
  const address = networkAddress();

  function client(mode: MessageSecurityMode, name?: string): OPCUAClient {
    const c = OPCUAClient.create({
      endpointMustExist: false,
      connectionStrategy: { maxRetry: 0 },
      securityMode: mode,
      securityPolicy: mode === MessageSecurityMode.None ? SecurityPolicy.None : SecurityPolicy.Basic256Sha256,
      ...(name ? { applicationName: name, clientCertificateManager: new OPCUACertificateManager({ rootFolder: join(scratch, name), automaticallyAcceptUnknownCertificate: true }) } : {}),
    });
    clients.push(c);
    return c;
  }

  before(async () => {
    fx = await ProxyFixture.start({ mode: "warm", ports: [23660, 23661, 23662], pkiDir: join(scratch, "endpoint") });
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.disconnect().catch(() => undefined)));
    await onNetwork?.stop();
    await fx?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("by default binds 127.0.0.1 alone: the machine's network address and ::1 refuse the connection", async () => {
    assert.equal(await accepts("127.0.0.1", 23662), true);
    assert.equal(await accepts(address, 23662), false, `nothing listens on ${address}`);
    assert.equal(await accepts("::1", 23662), false, "nothing listens on IPv6 loopback");
  });

  it("refuses an untrusted client with an Error message every stack decodes: BadSecurityChecksFailed and what to do", async () => {
    const relay = await WireRecorder.start(23663, { host: "127.0.0.1", port: 23662 });
    try {
      await assert.rejects(client(MessageSecurityMode.Sign, "stranger").connect("opc.tcp://127.0.0.1:23663"));
      const replies = relay.messages();
      const last = replies.at(-1)!;
      // node-opcua's own reply was an OPN carrying a signed and encrypted ServiceFault, which stacks expecting an OpenSecureChannelResponse cannot decode.
      assert.deepEqual(
        replies.slice(-2).map((m) => m.type),
        ["ACK", "ERR"],
        "the refused OpenSecureChannel is answered by an Error message, not an OPN",
      );
      const error = decodeErrorMessage(last);
      assert.equal(error.status, StatusCodes.BadSecurityChecksFailed.value);
      assert.match(error.reason, /did not accept this client's application certificate .* its administrator must trust it/);
    } finally {
      await relay.close();
    }
  });

  it("on a network address, binds only that address and offers no SecurityMode None to anonymous clients", async () => {
    onNetwork = await startPairEndpoint(fx.pair, {
      port: 23664,
      listen: address,
      offerSecurityNone: false,
      applicationName: "test.warm",
      pkiDir: join(scratch, "endpoint"),
      firstMirrorTimeoutMs: 5000,
    });
    assert.equal(await accepts(address, 23664), true);
    assert.equal(await accepts("127.0.0.1", 23664), false, "not on loopback then");
    const url = `opc.tcp://${address}:23664`;
    // A channel without security still reaches discovery (Part 4 §5.4: GetEndpoints needs none), and it lists no None endpoint.
    const anonymous = client(MessageSecurityMode.None);
    await anonymous.connect(url);
    const modes = new Set((await anonymous.getEndpoints()).map((e) => MessageSecurityMode[e.securityMode]));
    assert.deepEqual([...modes].sort(), ["Sign", "SignAndEncrypt"]);
    // What a client of another stack would do next, past node-opcua's own client-side check: ask for a session on that channel.
    const request = new CreateSessionRequest({
      endpointUrl: url,
      clientNonce: randomBytes(32),
      sessionName: "anonymous over None",
      requestedSessionTimeout: 60_000,
      clientDescription: { applicationUri: "urn:test:anonymous", applicationName: { text: "anonymous" }, applicationType: ApplicationType.Client },
    });
    const transaction = anonymous as unknown as { performMessageTransaction(r: unknown, cb: (err: Error | null, res?: { responseHeader: { serviceResult: { name: string } } }) => void): void };
    const answer = await new Promise<string>((done) => transaction.performMessageTransaction(request, (err, res) => done(err ? err.message : res!.responseHeader.serviceResult.name)));
    assert.match(answer, /BadSecurityModeRejected/, "the endpoint refuses a session without security there");
  });
});
