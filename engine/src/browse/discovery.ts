import { bounded } from "../upstream/bounded";
import { connectClient, EDITOR_TIMEOUTS, loadNodeOpcua } from "./endpointSession";

export interface DiscoveredEndpoint {
  url: string;
  securityMode: string;
  securityPolicy: string;
}

export interface DiscoveredServer {
  applicationName: string;
  applicationUri: string;
  endpoints: DiscoveredEndpoint[];
}

/**
 * Asks the discovery endpoint at `url` (a server's own endpoint, or a host's local discovery
 * server on 4840) which servers it knows (FindServers) and what endpoints each offers
 * (GetEndpoints), every step bounded: what "Add Redundant Server Configuration" offers to pick from.
 */
export async function discoverServers(url: string, pkiFolder: string): Promise<DiscoveredServer[]> {
  const opcua = await loadNodeOpcua();
  const client = await connectClient(opcua, url, pkiFolder, EDITOR_TIMEOUTS);
  try {
    const applications = await bounded(client.findServers(), EDITOR_TIMEOUTS.requestMs, `FindServers on ${url}`);
    const servers: DiscoveredServer[] = [];
    for (const application of applications) {
      if (application.applicationType === opcua.ApplicationType.DiscoveryServer) continue;
      const discoveryUrl = application.discoveryUrls?.[0] ?? url;
      const endpoints = discoveryUrl === url ? await endpointsOf(client, url) : await endpointsAt(discoveryUrl, pkiFolder).catch(() => []);
      servers.push({
        applicationName: application.applicationName.text ?? application.applicationUri ?? discoveryUrl,
        applicationUri: application.applicationUri ?? "",
        endpoints: endpoints.map((e) => ({
          url: e.endpointUrl ?? discoveryUrl,
          securityMode: opcua.MessageSecurityMode[e.securityMode],
          securityPolicy: (e.securityPolicyUri ?? "").replace(/^.*#/, ""),
        })),
      });
    }
    return servers;
  } finally {
    await bounded(client.disconnect(), 1000, "disconnecting").catch(() => undefined);
  }
}

type Client = Awaited<ReturnType<typeof connectClient>>;

function endpointsOf(client: Client, url: string) {
  return bounded(client.getEndpoints(), EDITOR_TIMEOUTS.requestMs, `GetEndpoints on ${url}`);
}

async function endpointsAt(url: string, pkiFolder: string) {
  const client = await connectClient(await loadNodeOpcua(), url, pkiFolder, EDITOR_TIMEOUTS);
  try {
    return await endpointsOf(client, url);
  } finally {
    await bounded(client.disconnect(), 1000, "disconnecting").catch(() => undefined);
  }
}
