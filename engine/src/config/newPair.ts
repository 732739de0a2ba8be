/**
 * A new pair's `<server>` element, written by `redundancymaster init` and by the extension's Add
 * Redundant Server Configuration from two endpoint URLs (and the names the servers gave, when they
 * were asked). Pure: no node-opcua, so that the extension can use it.
 */

export interface NewSide {
  url: string;
  /** The server's application name, when discovery found one. */
  applicationName?: string;
}

export interface NewPair {
  name: string;
  /** Where the pair's clients connect. */
  port: number;
  primary: NewSide;
  secondary: NewSide;
}

/** The host of an `opc.tcp://host:port/…` URL (brackets kept for IPv6). */
function urlHost(url: string): string {
  return /^opc\.tcp:\/\/(\[[^\]]+\]|[^:/]+)/i.exec(url)?.[1] ?? "";
}

function urlHostAndPort(url: string): string {
  return /^opc\.tcp:\/\/((\[[^\]]+\]|[^:/]+)(:\d+)?)/i.exec(url)?.[1] ?? url;
}

/**
 * The machine names events show for the two sides: the URLs' hosts; when both are the same host
 * (two servers on one computer) the servers' application names; when those are missing or the
 * same too, host:port, so that an event never leaves the operator guessing which side it means.
 */
export function machineNames(primary: NewSide, secondary: NewSide): [string, string] {
  const hosts: [string, string] = [urlHost(primary.url), urlHost(secondary.url)];
  if (hosts[0] && hosts[1] && hosts[0].toLowerCase() !== hosts[1].toLowerCase()) return hosts;
  const names = [primary.applicationName?.trim(), secondary.applicationName?.trim()];
  if (names[0] && names[1] && names[0] !== names[1]) return [names[0], names[1]];
  return [urlHostAndPort(primary.url), urlHostAndPort(secondary.url)];
}

/** An attribute value, escaped for a double-quoted XML attribute. */
function xmlAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The `<server>` element, indented by two spaces: warm mode, failing back to the primary, the status queried every 2.5 s (lost after 1 s without an answer). */
export function serverElement(pair: NewPair): string {
  const [primaryHost, secondaryHost] = machineNames(pair.primary, pair.secondary);
  const a = xmlAttribute;
  return (
    `  <server name="${a(pair.name)}" port="${pair.port}">\n` +
    `    <primary host="${a(primaryHost)}" url="${a(pair.primary.url)}"/>\n` +
    `    <secondary host="${a(secondaryHost)}" url="${a(pair.secondary.url)}"/>\n` +
    `    <connection mode="warm" alwaysReconnectToPrimary="true" statusIntervalMs="2500" statusTimeoutMs="1000"/>\n` +
    `  </server>\n`
  );
}

/** A whole configuration holding one new pair. */
export function newConfig(pair: NewPair): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<redundancyMaster version="1">\n${serverElement(pair)}  <diagnostics maxEvents="5000" preserveOnShutdown="true"/>\n</redundancyMaster>\n`;
}
