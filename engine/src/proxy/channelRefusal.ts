import { packTcpMessage, StatusCodes, TCPErrorMessage, type StatusCode } from "node-opcua";
import { replaceChannelRefusals } from "../opcuaInternals";

/**
 * What a refused OpenSecureChannel reads at the client, in every stack.
 *
 * node-opcua (2.186) answers a refused OpenSecureChannelRequest (an untrusted client certificate,
 * a security mode the endpoint does not offer) with a ServiceFault inside an OPN message, signed
 * and encrypted like an OpenSecureChannelResponse would be, or, where it cannot secure it, with
 * that ServiceFault's secure-message body under an "ERR" header. Stacks that expect an OPN to
 * hold an OpenSecureChannelResponse cannot decode the first ("Could not decode the
 * OpenSecureChannelResponse"), and the second is not the Error message of Part 6 §7.1.2.5 at all
 * (its body is a security header, not StatusCode + Reason: "Not enough data left in buffer").
 * Either way the operator of the refused client never learns why.
 *
 * The Error message is what every stack reads at any point of a connection, and what the OPC
 * Foundation's reference stack sends when it refuses a client's certificate. So the refusal is
 * sent as that: the status node-opcua chose (BadSecurityChecksFailed for an untrusted or revoked
 * certificate, per Errata 1.04.12, so the wire does not tell what the trust list holds) and a
 * reason a person can act on; the socket is then closed as node-opcua does.
 */
export function answerRefusalsWithErrorMessage(): void {
  replaceChannelRefusals((status) => packTcpMessage("ERR", new TCPErrorMessage({ statusCode: status, reason: refusalReason(status) })));
}

/** The Reason of the Error message: what the client's operator can do about it. */
export function refusalReason(status: StatusCode): string {
  if (status.equals(StatusCodes.BadSecurityChecksFailed)) {
    return "The server did not accept this client's application certificate (untrusted, revoked or invalid): its administrator must trust it.";
  }
  if (status.equals(StatusCodes.BadCertificateTimeInvalid)) return "This client's application certificate is outside its validity period.";
  if (status.equals(StatusCodes.BadCertificateUseNotAllowed)) return "This client's application certificate may not be used to open a secure channel.";
  if (status.equals(StatusCodes.BadSecurityPolicyRejected) || status.equals(StatusCodes.BadSecurityModeRejected)) {
    return "The server does not offer this security mode and policy on this address.";
  }
  return `The server refused the secure channel (${status.name}).`;
}
