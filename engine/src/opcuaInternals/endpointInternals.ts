import type { Server } from "node:net";
import type { OPCUAServer } from "node-opcua";

/** The server's listening sockets: node-opcua 2.186 keeps each in its OPCUAServerEndPoint's private `_server`. */
export function listeningSockets(server: OPCUAServer): Server[] {
  return server.endpoints.map((e) => (e as unknown as { _server?: Server })._server).filter((l): l is Server => !!l);
}
