import type { DiscoveredServer } from "../../engine/src/browse/discovery";

export type { DiscoveredServer };

/**
 * Custom requests the extension sends the language server (which has the OPC UA client; the
 * extension never loads node-opcua). Params `{ url }`: a discovery endpoint such as
 * `opc.tcp://plc-a:4840`; result: the servers found there with their endpoints.
 */
export const DISCOVER_SERVERS_REQUEST = "redundancymaster/discoverServers";

export interface DiscoverServersParams {
  url: string;
}
