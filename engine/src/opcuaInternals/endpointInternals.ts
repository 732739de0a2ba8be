import type { Server } from "node:net";
import type { CreateMonitoredItemsRequest, NodeId, OPCUAServer } from "node-opcua";

/** The server's listening sockets: node-opcua 2.186 keeps each in its OPCUAServerEndPoint's private `_server`. */
export function listeningSockets(server: OPCUAServer): Server[] {
  return server.endpoints.map((e) => (e as unknown as { _server?: Server })._server).filter((l): l is Server => !!l);
}

interface CreateMonitoredItemsHandler {
  _on_CreateMonitoredItemsRequest(message: { request: CreateMonitoredItemsRequest }, channel: unknown): void;
}

/**
 * Has each CreateMonitoredItems request wait for `before` (given the request's NodeIds) before
 * node-opcua handles it; a failure of `before` does not stop the request. Relies on node-opcua
 * 2.186's OPCUAServer: its base server hands a request to `this["_on_" + the request's type]`.
 */
export function beforeCreateMonitoredItems(server: OPCUAServer, before: (nodeIds: NodeId[]) => Promise<void>): void {
  const handler = server as unknown as CreateMonitoredItemsHandler;
  const handle = handler._on_CreateMonitoredItemsRequest.bind(server);
  handler._on_CreateMonitoredItemsRequest = (message, channel) => {
    const nodeIds = (message.request.itemsToCreate ?? []).map((item) => item.itemToMonitor.nodeId);
    void before(nodeIds)
      .catch(() => undefined)
      .then(() => handle(message, channel));
  };
}
