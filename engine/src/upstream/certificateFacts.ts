import { createHash, X509Certificate } from "node:crypto";

/** What a person checks before trusting a server certificate, and what the trust list compares. */
export interface CertificateFacts {
  /** OPC UA's thumbprint: SHA-1 of the DER, lower-case hex (what servers and UaExpert show). */
  thumbprint: string;
  /** SHA-256 of the DER, hex: what pins compare, so a SHA-1 collision cannot pass for a pinned certificate. */
  sha256: string;
  subject: string;
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
}

/**
 * The server's own certificate out of what an endpoint description carries: a DER certificate,
 * or a chain of them one after the other (leaf first, Part 6 §6.2.3). Undefined for none at all.
 */
export function leafCertificate(der: Buffer | undefined | null): Buffer | undefined {
  if (!der || der.length < 2 || der[0] !== 0x30) return undefined;
  const first = der[1];
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const bytes = first & 0x7f;
    if (bytes < 1 || bytes > 4 || der.length < 2 + bytes) return undefined;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[2 + i];
    header = 2 + bytes;
  }
  const end = header + length;
  return end <= der.length ? der.subarray(0, end) : undefined;
}

/** Facts of one DER certificate; throws when node:crypto cannot read it. */
export function certificateFacts(der: Buffer): CertificateFacts {
  const certificate = new X509Certificate(der);
  return {
    thumbprint: createHash("sha1").update(der).digest("hex"),
    sha256: createHash("sha256").update(der).digest("hex"),
    subject: certificate.subject.split("\n").join(", "),
    validFrom: new Date(certificate.validFrom).toISOString(),
    validTo: new Date(certificate.validTo).toISOString(),
  };
}

/** The certificate as PEM, the form node-opcua's folders and people's tools read. */
export function toPem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** DER of a PEM or DER file's content; undefined when it holds no certificate. */
export function derOf(content: Buffer): Buffer | undefined {
  const text = content.subarray(0, 64).toString("latin1");
  if (!text.includes("-----BEGIN")) return leafCertificate(content);
  const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(content.toString("latin1"));
  return match ? Buffer.from(match[1].replace(/\s+/g, ""), "base64") : undefined;
}
