import { X509Certificate } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { OPCUACertificateManager } from "node-opcua";

type Verify = OPCUACertificateManager["verifyCertificate"];

/**
 * The endpoint's certificate store. A user trusts a refused client by moving its certificate from
 * rejected/ to trusted/certs/; node-opcua's manager learns of that from file watchers, which on a
 * loaded machine have taken more than 15 s. So a client about to be refused as untrusted is looked
 * up in trusted/certs/ itself, and if it is there the store is read again and the client let in.
 * (Taking a certificate out of trusted/certs/ is still learnt from the watchers alone.)
 * Each endpoint's manager also names the endpoint's own key, so that no two endpoints share one.
 */
export class EndpointCertificateManager extends OPCUACertificateManager {
  private reloading: Promise<void> | undefined;

  /** `keyName`: the endpoint's own private key, `own/private/<keyName>.pem`, in place of the folder's one shared key. */
  constructor(
    options: ConstructorParameters<typeof OPCUACertificateManager>[0],
    private readonly keyName?: string,
  ) {
    super(options);
  }

  override get privateKey(): string {
    return this.keyName ? join(this.rootDir, "own", "private", `${this.keyName}.pem`) : super.privateKey;
  }

  protected override async verifyCertificateAsync(...[certificate, options]: Parameters<Verify>): ReturnType<Verify> {
    const status = await super.verifyCertificateAsync(certificate, options ?? {});
    const leaf = status === "BadCertificateUntrusted" ? leafOf(certificate) : undefined;
    if (!leaf || !(await this.trustedFolderHolds(leaf))) return status;
    await this.reload();
    return super.verifyCertificateAsync(certificate, options ?? {});
  }

  private async trustedFolderHolds(leaf: Buffer): Promise<boolean> {
    const files = await readdir(this.trustedFolder).catch(() => [] as string[]);
    for (const file of files) {
      const trusted = await readFile(join(this.trustedFolder, file)).then(
        (content) => new X509Certificate(content).raw,
        () => undefined,
      );
      if (trusted?.equals(leaf)) return true;
    }
    return false;
  }

  /** One re-read at a time: clients retrying together would otherwise clear the index under each other. */
  private reload(): Promise<void> {
    this.reloading ??= this.reloadCertificates().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }
}

/**
 * The client's own certificate: the first of a chain, whether given as a list or as one DER buffer.
 * None for what node:crypto cannot read; that client keeps node-opcua's verdict.
 */
function leafOf(certificate: Buffer | Buffer[]): Buffer | undefined {
  try {
    return new X509Certificate(Array.isArray(certificate) ? certificate[0] : certificate).raw;
  } catch {
    return undefined;
  }
}
