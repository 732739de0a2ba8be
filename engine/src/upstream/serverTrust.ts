import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TrustPolicy } from "../config/model";
import { writeFileAtomic } from "../state/atomicFile";
import { fileExists } from "../state/fileExists";
import { certificateFacts, derOf, leafCertificate, toPem, type CertificateFacts } from "./certificateFacts";

export type { CertificateFacts };

/** Why a server certificate was refused. */
export type RefusalReason =
  /** explicit policy: not in the trust list. */
  | "untrusted"
  /** firstUse: this URL was pinned to another certificate. */
  | "changed"
  /** The pinned certificate itself, taken out of the trust list since. */
  | "withdrawn"
  /** The server's endpoints carry no readable certificate: nothing to authenticate it by. */
  | "none";

export type TrustVerdict =
  | {
      trusted: true;
      /** trusted: in the trust list; pinned: pinned just now at first use; firstUse: a first use the caller may read from but does not record. */
      how: "trusted" | "pinned" | "firstUse";
      certificate: CertificateFacts;
      /** Who trusted it, when it is the certificate this URL is pinned to ("first use", "alice (extension)"). */
      trustedBy?: string;
    }
  | { trusted: false; reason: RefusalReason; certificate?: CertificateFacts; pinned?: Pin };

export interface Pin {
  thumbprint: string;
  sha256: string;
  subject: string;
  since: string;
  /** "first use", or the person who trusted it and where ("alice (extension)"). */
  by: string;
}

export interface RefusedCertificate extends CertificateFacts {
  reason: RefusalReason;
  at: string;
}

/** What the store knows of one server URL (`servers/<hash of the URL>.json`). */
interface ServerRecord {
  url: string;
  pin?: Pin;
  refused?: RefusedCertificate;
}

/**
 * The trust list of upstream servers: who the engine, the language server's lookups and Test
 * Connection may open a session with, decided by the server's certificate before any credential
 * is sent. One folder, in node-opcua's layout so its tools and people find their way:
 * `trusted/certs/` the trusted server certificates, `rejected/` the refused ones, and
 * `servers/` one record per server URL: the certificate pinned there at first use and the one
 * last refused there (what "Trust Server Certificate…" and `redundancymaster trust` trust).
 *
 * The trust list alone decides: a certificate is trusted when it is in `trusted/certs/`. Under
 * firstUse the first certificate seen at a URL is put there and the URL is pinned; from then on
 * that URL gets no second first use, so a different certificate (or the pinned one taken out of
 * the list) is refused until a person trusts it.
 */
export class ServerTrust {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly folder: string) {}

  get trustedFolder(): string {
    return join(this.folder, "trusted", "certs");
  }

  get rejectedFolder(): string {
    return join(this.folder, "rejected");
  }

  /**
   * The verdict on the certificate `der` (a chain's leaf first) that the server at `url`
   * presented. `record` files what it learns (pins at first use, refusals) as the engine does;
   * without it the store is only read, as the editor's and Test Connection's probes do.
   */
  check(url: string, der: Buffer | undefined, policy: TrustPolicy, record: boolean): Promise<TrustVerdict> {
    return this.serially(async () => {
      const leaf = leafCertificate(der);
      let certificate: CertificateFacts | undefined;
      try {
        certificate = leaf && certificateFacts(leaf);
      } catch {
        certificate = undefined;
      }
      if (!leaf || !certificate) return { trusted: false, reason: "none" };
      if (await this.trustedHolds(certificate.sha256)) {
        // Read after the trust list: `trust`, perhaps in another process, pins before it adds the
        // certificate, so a certificate found trusted is found with the pin that says who trusted it.
        const server = await this.record(url);
        // The URL's first use is over, whatever the policy: a later first use there would be an impostor's.
        if (record && server.pin?.sha256 !== certificate.sha256) await this.save({ url, pin: pinOf(certificate, "the trust list") });
        const trustedBy = server.pin?.sha256 === certificate.sha256 ? server.pin.by : undefined;
        return { trusted: true, how: "trusted", certificate, ...(trustedBy ? { trustedBy } : {}) };
      }
      const server = await this.record(url);
      if (policy === "firstUse" && !server.pin) {
        if (!record) return { trusted: true, how: "firstUse", certificate };
        await this.addTrusted(leaf, certificate);
        await this.save({ url, pin: pinOf(certificate, "first use") });
        return { trusted: true, how: "pinned", certificate };
      }
      const reason: RefusalReason = !server.pin ? "untrusted" : server.pin.sha256 === certificate.sha256 ? "withdrawn" : "changed";
      const filed = join(this.rejectedFolder, fileName(certificate));
      // A side refused again at each reconnect writes nothing: the refusal is on file from the first
      // time, and a rewrite of the record would overwrite a pin that `trust` (another process) has just made.
      const onFile = server.refused?.sha256 === certificate.sha256 && server.refused.reason === reason && (await fileExists(filed));
      if (record && !onFile) {
        // Both folders, so the person who reads the event finds where to move the file.
        await mkdir(this.trustedFolder, { recursive: true, mode: 0o700 });
        await mkdir(this.rejectedFolder, { recursive: true, mode: 0o700 });
        await writeFileAtomic(filed, toPem(leaf));
        await this.save({ ...server, url, refused: { ...certificate, reason, at: new Date().toISOString() } });
      }
      return { trusted: false, reason, certificate, ...(server.pin ? { pinned: server.pin } : {}) };
    });
  }

  /** The certificate last refused at `url`, if any: what trusting that side would trust. */
  async refusedAt(url: string): Promise<RefusedCertificate | undefined> {
    return (await this.record(url)).refused;
  }

  /**
   * Trusts the certificate last refused at `url` (its thumbprint must match, so a person trusts
   * what they were shown) and pins the URL to it. `by` says who ("alice (command line)").
   */
  trust(url: string, thumbprint: string, by: string): Promise<CertificateFacts> {
    return this.serially(async () => {
      const server = await this.record(url);
      const refused = server.refused;
      if (!refused) throw new Error(`no certificate was refused at ${url}: there is nothing to trust there`);
      if (refused.thumbprint !== thumbprint.toLowerCase().replace(/[^0-9a-f]/g, "")) {
        throw new Error(`the certificate refused at ${url} has thumbprint ${refused.thumbprint}, not ${thumbprint}`);
      }
      const content = await readFile(join(this.rejectedFolder, fileName(refused)));
      const der = derOf(content);
      if (!der || certificateFacts(der).sha256 !== refused.sha256) throw new Error(`the refused certificate's file in ${this.rejectedFolder} is missing or changed`);
      // Pinned first: a running engine that finds the certificate trusted then also finds who trusted it.
      await this.save({ url, pin: pinOf(refused, by) });
      await this.addTrusted(der, refused);
      return refused;
    });
  }

  private async addTrusted(der: Buffer, certificate: CertificateFacts): Promise<void> {
    await mkdir(this.trustedFolder, { recursive: true, mode: 0o700 });
    await writeFileAtomic(join(this.trustedFolder, fileName(certificate)), toPem(der));
  }

  /** Whether trusted/certs holds the certificate (read afresh each time: people and `trust` change it while the engine runs). */
  private async trustedHolds(sha256: string): Promise<boolean> {
    const files = await readdir(this.trustedFolder).catch(() => [] as string[]);
    for (const file of files) {
      const der = await readFile(join(this.trustedFolder, file)).then(derOf, () => undefined);
      if (der && createHash("sha256").update(der).digest("hex") === sha256) return true;
    }
    return false;
  }

  private async record(url: string): Promise<ServerRecord> {
    try {
      const data = JSON.parse(await readFile(this.recordFile(url), "utf8")) as ServerRecord;
      return data && data.url === url ? data : { url };
    } catch {
      return { url };
    }
  }

  private async save(record: ServerRecord): Promise<void> {
    await mkdir(join(this.folder, "servers"), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.recordFile(record.url), JSON.stringify(record, null, 2) + "\n");
  }

  private recordFile(url: string): string {
    return join(this.folder, "servers", `${createHash("sha256").update(url).digest("hex").slice(0, 16)}.json`);
  }

  /** One decision at a time: two sessions to one URL must not both take its first use. */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function pinOf(certificate: CertificateFacts, by: string): Pin {
  return { thumbprint: certificate.thumbprint, sha256: certificate.sha256, subject: certificate.subject, since: new Date().toISOString(), by };
}

/** node-opcua's naming, `<common name>[<thumbprint>].pem`, so its tools list the files alike. */
function fileName(certificate: CertificateFacts): string {
  const commonName = /CN=([^,]*)/.exec(certificate.subject)?.[1] ?? "server";
  return `${commonName.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 60)}[${certificate.thumbprint}].pem`;
}

let scratch: ServerTrust | undefined;

/**
 * A trust list of this process alone, in a temp folder removed at exit: for pairs run without a
 * state folder (tests), so that one run's first uses never decide another's.
 */
export function scratchTrust(): ServerTrust {
  if (!scratch) {
    const folder = mkdtempSync(join(tmpdir(), "redundancymaster-trust-"));
    process.once("exit", () => rmSync(folder, { recursive: true, force: true }));
    scratch = new ServerTrust(folder);
  }
  return scratch;
}
