import type { DiscoveredServer } from "../../../server/src/requests";

/** One endpoint URL a discovered server offers, with every security mode it offers there. */
export interface EndpointChoice {
  serverName: string;
  url: string;
  security: string[];
}

/**
 * Folds discovery results into one choice per server and URL (a server lists each URL once per
 * security mode and policy); servers come in the order found, URLs in the order offered.
 */
export function endpointChoices(servers: DiscoveredServer[]): EndpointChoice[] {
  const choices = new Map<string, EndpointChoice>();
  for (const server of servers) {
    for (const endpoint of server.endpoints) {
      const key = `${server.applicationUri}\n${endpoint.url}`;
      const choice = choices.get(key) ?? { serverName: server.applicationName, url: endpoint.url, security: [] };
      const security = endpoint.securityMode === "None" ? "None" : `${endpoint.securityMode} (${endpoint.securityPolicy})`;
      if (!choice.security.includes(security)) choice.security.push(security);
      choices.set(key, choice);
    }
  }
  return [...choices.values()];
}
