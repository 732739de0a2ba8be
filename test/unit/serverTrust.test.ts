import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { OPCUACertificateManager, type EndpointDescription } from "node-opcua";
import { certificateFacts, leafCertificate } from "../../engine/src/upstream/certificateFacts";
import { ServerTrust } from "../../engine/src/upstream/serverTrust";
import { endpointCertificate, passwordInClear, refusalText } from "../../engine/src/upstream/trustedEndpoint";

const URL_A = "opc.tcp://plc-a:4840";
const URL_B = "opc.tcp://plc-b:4840";
const NONE = "http://opcfoundation.org/UA/SecurityPolicy#None";
const BASIC256SHA256 = "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256";

// The trust list's decisions on real certificates, in a folder on disk; the pairs that use it against real servers are in test/integration/pair.serverTrust.test.ts.
describe("trust list of upstream servers", () => {
  const folder = mkdtempSync(join(tmpdir(), "rm-server-trust-"));
  let first: Buffer;
  let second: Buffer;

  before(async () => {
    const pki = new OPCUACertificateManager({ rootFolder: join(folder, "maker"), disableFileWatchers: true });
    await pki.initialize();
    const make = async (name: string) => {
      const outputFile = join(folder, "maker", `${name}.pem`);
      await pki.createSelfSignedCertificate({ applicationUri: `urn:test:${name}`, subject: `/CN=${name}`, dns: [], startDate: new Date(), validity: 30, outputFile });
      return new X509Certificate(readFileSync(outputFile)).raw;
    };
    first = await make("first");
    second = await make("second");
    await pki.dispose();
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("reads a chain's leaf, and a certificate's thumbprint, subject and validity", () => {
    assert.deepEqual(leafCertificate(Buffer.concat([first, second])), first);
    assert.equal(leafCertificate(Buffer.from([0x30, 0x82, 0xff])), undefined, "a truncated certificate is none");
    const facts = certificateFacts(first);
    assert.equal(facts.thumbprint, new X509Certificate(first).fingerprint.replace(/:/g, "").toLowerCase());
    assert.match(facts.subject, /CN=first/);
    assert.ok(Date.parse(facts.validTo) > Date.parse(facts.validFrom));
  });

  it("firstUse: pins a URL's first certificate, refuses another there, and the pinned one when taken out of the list", async () => {
    const trust = new ServerTrust(join(folder, "first-use"));
    const pinned = await trust.check(URL_A, first, "firstUse", true);
    assert.equal(pinned.trusted && pinned.how, "pinned");
    assert.equal((await trust.check(URL_A, first, "firstUse", true)).trusted, true, "the pinned certificate passes again");
    const changed = await trust.check(URL_A, second, "firstUse", true);
    assert.ok(!changed.trusted);
    assert.equal(changed.reason, "changed");
    assert.equal(changed.pinned?.thumbprint, certificateFacts(first).thumbprint);
    assert.match(refusalText(changed), /differs from the one pinned at first use \(thumbprint [0-9a-f]{40}\); no credential was sent/);
    assert.equal(readdirSync(trust.rejectedFolder).length, 1, "filed under rejected/");
    assert.equal((await trust.refusedAt(URL_A))?.thumbprint, certificateFacts(second).thumbprint);
    for (const file of readdirSync(trust.trustedFolder)) unlinkSync(join(trust.trustedFolder, file));
    const withdrawn = await trust.check(URL_A, first, "firstUse", true);
    assert.equal(!withdrawn.trusted && withdrawn.reason, "withdrawn", "trust is the list's: no second first use at a URL");
  });

  it("explicit: refuses what the list lacks, trusts only the thumbprint a person was shown, and pins the URL to it", async () => {
    const trust = new ServerTrust(join(folder, "explicit"));
    const refused = await trust.check(URL_B, second, "explicit", true);
    assert.equal(!refused.trusted && refused.reason, "untrusted");
    await assert.rejects(trust.trust(URL_B, certificateFacts(first).thumbprint, "alice (command line)"), /has thumbprint [0-9a-f]{40}, not/);
    await trust.trust(URL_B, certificateFacts(second).thumbprint.toUpperCase(), "alice (command line)");
    const verdict = await trust.check(URL_B, second, "explicit", true);
    assert.equal(verdict.trusted && verdict.how, "trusted");
    assert.equal(verdict.trusted && verdict.trustedBy, "alice (command line)");
    await assert.rejects(trust.trust(URL_A, "00", "x"), /no certificate was refused at opc.tcp:\/\/plc-a:4840/);
  });

  it("a side refused again (each reconnect) writes nothing more: no temporary file in rejected/, no record a `trust` in another process could lose its pin to", async () => {
    const root = join(folder, "refused-again");
    const trust = new ServerTrust(root);
    await trust.check(URL_B, second, "explicit", true);
    const files = () =>
      readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((f) => f.isFile())
        .map((f) => `${join(f.parentPath, f.name)}@${statSync(join(f.parentPath, f.name)).mtimeMs}`)
        .sort();
    const before = files();
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 3; i++) assert.equal((await trust.check(URL_B, second, "explicit", true)).trusted, false);
    assert.deepEqual(files(), before);
  });

  it("read only (the editor, Test Connection): decides alike, writes nothing", async () => {
    const root = join(folder, "read-only");
    const trust = new ServerTrust(root);
    const verdict = await trust.check(URL_A, first, "firstUse", false);
    assert.equal(verdict.trusted && verdict.how, "firstUse");
    assert.equal(!(await trust.check(URL_A, first, "explicit", false)).trusted, true);
    assert.equal(existsSync(root), false, "no folder, no pin, no refusal recorded");
  });

  it("a server with no certificate cannot be authenticated", async () => {
    const verdict = await new ServerTrust(join(folder, "none")).check(URL_A, undefined, "firstUse", true);
    assert.equal(!verdict.trusted && verdict.reason, "none");
  });

  it("takes the certificate and the user token policy of the endpoint the session will use", () => {
    const endpoint = (mode: number, policy: string, certificate: Buffer, tokenPolicy?: string) =>
      ({ securityMode: mode, securityPolicyUri: policy, serverCertificate: certificate, userIdentityTokens: [{ tokenType: 1, securityPolicyUri: tokenPolicy }] }) as unknown as EndpointDescription;
    const endpoints = [endpoint(1, NONE, Buffer.alloc(0), BASIC256SHA256), endpoint(3, BASIC256SHA256, second)];
    assert.deepEqual(endpointCertificate(endpoints, 1, NONE), second, "a None endpoint without one: the application's certificate from another");
    assert.deepEqual(endpointCertificate(endpoints, 3, BASIC256SHA256), second);
    assert.equal(endpointCertificate(endpoints, 2, BASIC256SHA256), undefined, "no Sign endpoint, no certificate for it");
    assert.equal(passwordInClear(endpoints, 1, NONE), false, "the token is encrypted for the server's key");
    assert.equal(passwordInClear([endpoint(1, NONE, first, NONE)], 1, NONE), true);
    assert.equal(passwordInClear([endpoint(1, NONE, first, "")], 1, NONE), true, "an empty token policy takes the endpoint's, None");
    assert.equal(passwordInClear([endpoint(2, BASIC256SHA256, first, "")], 2, BASIC256SHA256), false);
    assert.equal(passwordInClear([endpoint(3, BASIC256SHA256, first, NONE)], 3, BASIC256SHA256), false, "the channel encrypts it");
  });
});
