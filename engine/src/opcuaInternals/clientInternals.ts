import type { OPCUAClient } from "node-opcua";

/**
 * Makes the session's user token be encrypted for this certificate, not for whatever the
 * CreateSession answer names. node-opcua 2.186's ClientBaseImpl keeps the server's certificate in
 * `serverCertificate`, and ActivateSession copies it to the session before it encrypts the token.
 */
export function pinServerCertificate(client: OPCUAClient, certificate: Buffer): void {
  (client as unknown as { serverCertificate?: Buffer }).serverCertificate = certificate;
}

/**
 * Destroys the client's TCP socket at once, without the goodbye a disconnect sends (which waits
 * for a lost or hung server). node-opcua 2.186: the client's `_secureChannel`, its
 * `getTransport()` (the TCP_transport) and that transport's `_socket`. The path used before,
 * `_secureChannel._transport._socket`, reaches nothing in 2.186: `_transport` is an ES private
 * field (`#_transport`) there.
 */
export function destroyClientSocket(client: OPCUAClient): void {
  const channel = (client as unknown as { _secureChannel?: ChannelInternals | null })._secureChannel;
  channel?.getTransport()?._socket?.destroy();
}

interface ChannelInternals {
  getTransport(): { _socket?: { destroy(): void } | null } | undefined;
}
