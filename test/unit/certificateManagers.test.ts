import assert from "node:assert/strict";
import fs from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { OPCUACertificateManager } from "node-opcua";
import { disposeOwnedCertificateManager, initializeCertificateManager } from "../../engine/src/upstream/certificateManagers";

describe("certificate managers started one at a time", () => {
  it(
    "six managers initialized at once, as pairs and endpoints start together: each one's folder watchers start, and fs.watch is the process's own again afterwards",
    { timeout: 120_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "rm-managers-"));
      const watch = fs.watch;
      const managers = Array.from({ length: 6 }, (_, i) => new OPCUACertificateManager({ rootFolder: join(dir, `pki-${i}`), automaticallyAcceptUnknownCertificate: false }));
      try {
        await Promise.all(managers.map((m) => initializeCertificateManager(m)));
        assert.equal(fs.watch, watch, "node-opcua-pki's replacement of fs.watch is gone once the managers are started");
        // A certificate put in a manager's trusted folder is seen through its watchers.
        const [first, second] = managers;
        const added = new Promise((done) => first.once("certificateAdded", done));
        await second.createSelfSignedCertificate({
          applicationUri: "urn:test:other",
          subject: "/CN=other",
          dns: [],
          startDate: new Date(),
          validity: 30,
          outputFile: join(first.trustedFolder, "other.pem"),
        });
        await Promise.race([added, new Promise((_, fail) => setTimeout(() => fail(new Error("no certificateAdded within 20 s")), 20_000))]);
      } finally {
        await Promise.all(managers.map((m) => disposeOwnedCertificateManager(m)));
        await rm(dir, { recursive: true, force: true });
      }
      assert.equal(fs.watch, watch);
    },
  );
});
