import type { Side, UntrustedCertificate } from "../../../engine/src/control/clientApi";

const REASONS: Record<UntrustedCertificate["reason"], string> = {
  untrusted: "It is not in the trust list.",
  changed: "It is not the certificate this server presented before and was pinned to.",
  withdrawn: "It was taken out of the trust list.",
};

/** What "Trust Server Certificate…" asks: which server, why it was refused, and the certificate's subject, validity and thumbprint. */
export function certificateQuestion(pair: string, side: Side, url: string, certificate: UntrustedCertificate): { message: string; detail: string } {
  return {
    message: `Trust the certificate of '${pair}' on the ${side} (${url})?`,
    detail: [
      REASONS[certificate.reason],
      "",
      `Subject: ${certificate.subject}`,
      `Valid: ${certificate.validFrom} to ${certificate.validTo}`,
      `Thumbprint (SHA-1): ${certificate.thumbprint}`,
      ...(certificate.pinnedThumbprint ? [`Pinned before: ${certificate.pinnedThumbprint}`] : []),
      "",
      "Compare the thumbprint with the one the server itself shows. Once trusted, the engine sends this server the pair's credentials.",
    ].join("\n"),
  };
}
