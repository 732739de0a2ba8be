import type { EndpointDescription } from "node-opcua";
import type { TrustVerdict } from "./serverTrust";

/** MessageSecurityMode None and SignAndEncrypt: the endpoint descriptions' numbers (Part 4 §7.15). */
const MODE_NONE = 1;
const MODE_SIGN_AND_ENCRYPT = 3;
/** UserTokenType.UserName (Part 4 §7.37). */
const USER_NAME_TOKEN = 1;
const POLICY_NONE = "http://opcfoundation.org/UA/SecurityPolicy#None";

/**
 * The certificate a session with this security would be opened against, from the server's
 * GetEndpoints answer: that of the endpoint with the same mode and policy; for mode None the
 * None endpoint's, else any endpoint's (one application has one certificate, and some servers
 * leave it out of their None endpoints). Undefined when no endpoint carries one.
 */
export function endpointCertificate(endpoints: readonly EndpointDescription[], mode: number, policyUri: string): Buffer | undefined {
  const carried = endpoints.filter((e) => e.serverCertificate && e.serverCertificate.length > 0);
  const exact = carried.find((e) => e.securityMode === mode && (mode === MODE_NONE || e.securityPolicyUri === policyUri));
  if (exact) return exact.serverCertificate as Buffer;
  return mode === MODE_NONE ? (carried[0]?.serverCertificate as Buffer | undefined) : undefined;
}

/**
 * Whether a user name and password would cross the wire readable: the session's endpoint offers the
 * UserName token with no encryption (its policy None, or empty on an endpoint whose policy is None)
 * and the channel does not encrypt either. Such a server gets no password from the engine.
 */
export function passwordInClear(endpoints: readonly EndpointDescription[], mode: number, policyUri: string): boolean {
  if (mode === MODE_SIGN_AND_ENCRYPT) return false;
  const endpoint = endpoints.find((e) => e.securityMode === mode && (mode === MODE_NONE || e.securityPolicyUri === policyUri));
  const token = endpoint?.userIdentityTokens?.find((t) => t.tokenType === USER_NAME_TOKEN);
  if (!endpoint || !token) return false;
  const effective = token.securityPolicyUri || endpoint.securityPolicyUri || POLICY_NONE;
  return effective === POLICY_NONE;
}

/** A refusal by the trust list: the session was not opened and no credential was sent. */
export class UntrustedServerError extends Error {
  constructor(
    readonly url: string,
    readonly verdict: Extract<TrustVerdict, { trusted: false }>,
  ) {
    super(refusalText(verdict));
  }
}

/** The refusal in a user's words: what was presented, and why it does not pass. */
export function refusalText(verdict: Extract<TrustVerdict, { trusted: false }>): string {
  const certificate = verdict.certificate;
  const which = certificate ? `its certificate (thumbprint ${certificate.thumbprint}, ${certificate.subject})` : "";
  switch (verdict.reason) {
    case "none":
      return "the server presents no certificate, so it cannot be authenticated; no session was opened";
    case "untrusted":
      return `${which} is not in the trust list; no credential was sent`;
    case "changed":
      return `${which} differs from the one pinned at first use (thumbprint ${verdict.pinned?.thumbprint}); no credential was sent`;
    case "withdrawn":
      return `${which} was taken out of the trust list; no credential was sent`;
  }
}
