import type { ClientMonitoredItemBase, OPCUAClient } from "node-opcua";

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

/**
 * Deletes the monitored items (all of one subscription) in one DeleteMonitoredItems request and
 * forgets them on the client. node-opcua 2.186's ClientSubscriptionImpl `_delete_monitored_items`,
 * which a single item's `terminate()` calls with that item alone: removing 20,000 items one by one
 * cost 20,000 requests. Resolves (never rejects) once the server answered or the request failed;
 * a subscription that is no longer active has nothing left to delete.
 */
export function deleteMonitoredItems(items: readonly ClientMonitoredItemBase[]): Promise<void> {
  const subscription = items[0]?.subscription as unknown as SubscriptionInternals | undefined;
  if (!subscription?.isActive) return Promise.resolve();
  return new Promise((done) => subscription._delete_monitored_items([...items], () => done()));
}

interface SubscriptionInternals {
  isActive: boolean;
  _delete_monitored_items(items: ClientMonitoredItemBase[], callback: (err?: Error) => void): void;
}
