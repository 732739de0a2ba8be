import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { MessageSecurityMode, OPCUACertificateManager, OPCUAClient, SecurityPolicy } from "node-opcua";
import { ProxyFixture, readValue, until } from "../support/proxyFixture";

// Ports 23070–23079 belong to this file.
describe("proxy endpoint: security", () => {
  let fx: ProxyFixture;
  const pkiDir = mkdtempSync(join(tmpdir(), "rm-proxy-security-"));
  const clientPki = mkdtempSync(join(tmpdir(), "rm-proxy-clients-"));
  const clients: OPCUAClient[] = [];

  /** A client with a certificate of its own, on SignAndEncrypt / Basic256Sha256. */
  function securedClient(name: string): OPCUAClient {
    const client = OPCUAClient.create({
      applicationName: name,
      applicationUri: `urn:redundancymaster:test:${name}`,
      endpointMustExist: false,
      connectionStrategy: { maxRetry: 0 },
      securityMode: MessageSecurityMode.SignAndEncrypt,
      securityPolicy: SecurityPolicy.Basic256Sha256,
      clientCertificateManager: new OPCUACertificateManager({ rootFolder: join(clientPki, name), automaticallyAcceptUnknownCertificate: true }),
    });
    clients.push(client);
    return client;
  }

  /** Connects and reads Identity; the error message when the endpoint refuses. */
  async function tryReading(client: OPCUAClient): Promise<string> {
    try {
      await client.connect(fx.url);
      const session = await client.createSession();
      const ns = (await session.readNamespaceArray()).indexOf("urn:redundancymaster:sim");
      return String((await readValue(session, `ns=${ns};s=Identity`)).value.value);
    } catch (error) {
      return `refused: ${(error as Error).message}`;
    } finally {
      await client.disconnect().catch(() => undefined);
    }
  }

  before(async () => {
    fx = await ProxyFixture.start({ mode: "warm", ports: [23070, 23071, 23072], pkiDir });
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.disconnect().catch(() => undefined)));
    await fx?.close();
    rmSync(pkiDir, { recursive: true, force: true });
    rmSync(clientPki, { recursive: true, force: true });
  });

  it("offers None, Sign and SignAndEncrypt with its own certificate in the PKI folder", async () => {
    const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
    clients.push(client);
    await client.connect(fx.url);
    const endpoints = await client.getEndpoints();
    const modes = new Set(endpoints.map((e) => MessageSecurityMode[e.securityMode]));
    assert.deepEqual([...modes].sort(), ["None", "Sign", "SignAndEncrypt"]);
    assert.ok(endpoints.every((e) => e.server.applicationName.text === "test.warm"));
    assert.ok(
      readdirSync(join(pkiDir, "own", "certs")).some((f) => f.endsWith(".pem")),
      "own certificate under the PKI folder",
    );
  });

  const rejected = join(pkiDir, "rejected");
  const rejectedCertificates = () => (existsSync(rejected) ? readdirSync(rejected).filter((f) => /\.(pem|der)$/.test(f)) : []);

  it("refuses a client whose certificate it does not trust, and files it under rejected/", async () => {
    const answer = await tryReading(securedClient("stranger"));
    assert.match(answer, /^refused/);
    await until("the certificate filed as rejected", () => rejectedCertificates().length > 0);
  });

  it("accepts the client once its certificate is moved to trusted/certs, while running", async () => {
    for (const file of rejectedCertificates()) renameSync(join(rejected, file), join(pkiDir, "trusted", "certs", file));
    assert.equal(await tryReading(securedClient("stranger")), fx.pair.active, "let in on its first try after the move");
    assert.match(await tryReading(securedClient("another")), /^refused/, "trusting one client trusts no other");
  });
});
