import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtemp, readdir, readFile, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { OPCUACertificateManager, StatusCodes } from "node-opcua";
import { EndpointCertificateManager } from "../../engine/src/proxy/endpointCertificates";

// Real certificate stores on disk with their file watchers off, so that nothing but the endpoint's
// own look into trusted/certs/ can learn that a certificate was moved there.
describe("endpoint certificate store", () => {
  let folder: string;
  let client: Buffer;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), "redundancymaster-endpoint-pki-"));
    const clientPki = new OPCUACertificateManager({ rootFolder: join(folder, "client"), disableFileWatchers: true });
    await clientPki.initialize();
    const outputFile = join(folder, "client", "own", "certs", "client.pem");
    await clientPki.createSelfSignedCertificate({ applicationUri: "urn:test:client", subject: "/CN=test client", dns: [], startDate: new Date(), validity: 30, outputFile });
    await clientPki.dispose();
    client = new X509Certificate(await readFile(outputFile)).raw;
  });

  after(() => rm(folder, { recursive: true, force: true }));

  async function store(name: string, Manager: typeof OPCUACertificateManager) {
    const manager = new Manager({ rootFolder: join(folder, name), automaticallyAcceptUnknownCertificate: false, disableFileWatchers: true });
    await manager.initialize();
    return manager;
  }

  async function refuseThenTrust(manager: OPCUACertificateManager) {
    assert.equal((await manager.checkCertificate(client)).name, "BadCertificateUntrusted");
    const [refused] = await readdir(manager.rejectedFolder);
    assert.ok(refused, "the refused certificate is filed under rejected/");
    await rename(join(manager.rejectedFolder, refused), join(manager.trustedFolder, refused));
    return manager.checkCertificate(client);
  }

  it("lets a refused client in on its next try once its certificate is moved to trusted/certs", async () => {
    const manager = await store("endpoint", EndpointCertificateManager);
    try {
      assert.equal(await refuseThenTrust(manager), StatusCodes.Good);
      assert.deepEqual(await readdir(manager.rejectedFolder), [], "nothing is filed as refused again");
    } finally {
      await manager.dispose();
    }
  });

  it("node-opcua's store alone, its watchers off, still refuses it after the move: why the endpoint looks itself", async () => {
    const manager = await store("plain", OPCUACertificateManager);
    try {
      assert.equal((await refuseThenTrust(manager)).name, "BadCertificateUntrusted");
    } finally {
      await manager.dispose();
    }
  });

  it("still refuses a client whose certificate stays in rejected/", async () => {
    const manager = await store("untouched", EndpointCertificateManager);
    try {
      assert.equal((await manager.checkCertificate(client)).name, "BadCertificateUntrusted");
      assert.equal((await manager.checkCertificate(client)).name, "BadCertificateUntrusted");
      assert.equal((await readdir(manager.rejectedFolder)).length, 1);
    } finally {
      await manager.dispose();
    }
  });

  it("gives each endpoint a key pair of its own in one store, beside the one trust list", async () => {
    const root = join(folder, "two-endpoints");
    const certificates: X509Certificate[] = [];
    for (const name of ["Line4", "Line5"]) {
      const manager = new EndpointCertificateManager({ rootFolder: root, automaticallyAcceptUnknownCertificate: false, disableFileWatchers: true }, name);
      await manager.initialize();
      assert.equal(manager.privateKey, join(root, "own", "private", `${name}.pem`));
      const outputFile = join(root, "own", "certs", `${name}.pem`);
      await manager.createSelfSignedCertificate({ applicationUri: `urn:test:${name}`, subject: `/CN=${name}`, dns: [], startDate: new Date(), validity: 30, outputFile });
      certificates.push(new X509Certificate(await readFile(outputFile)));
      assert.equal(manager.trustedFolder, join(root, "trusted", "certs"), "one trust list of clients for every endpoint");
      await manager.dispose();
    }
    const [a, b] = certificates.map((c) => c.publicKey.export({ type: "spki", format: "der" }).toString("hex"));
    assert.notEqual(a, b, "the two endpoints' certificates carry different keys");
    assert.deepEqual((await readdir(join(root, "own", "private"))).filter((f) => f.endsWith(".pem")).sort(), ["Line4.pem", "Line5.pem"]);
  });
});
