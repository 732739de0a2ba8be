import { attributeSpec, elementSpec } from "./format";
import type { ConnectionConfig, DiagnosticsConfig, EndpointConfig, MonitorItemConfig, NotificationsConfig, RedundancyConfig, SecurityConfig, ServerPairConfig, SmtpConfig } from "./model";
import { attribute, childElements, type XmlElement } from "./xmlTree";

/**
 * Turns a parsed document into the engine's model, filling defaults from the format. It trusts
 * its input: call it only on a document that validated without errors (loadConfig does).
 */
export function buildModel(root: XmlElement): RedundancyConfig {
  const diagnostics = childElements(root, "diagnostics")[0];
  const notifications = childElements(root, "notifications")[0];
  const metrics = childElements(root, "metrics")[0];
  return {
    version: text(root, "version"),
    servers: childElements(root, "server").map(serverPair),
    diagnostics: diagnosticsConfig(diagnostics),
    notifications: notificationsConfig(notifications),
    ...(metrics ? { metrics: { port: int(metrics, "port") } } : {}),
  };
}

function serverPair(server: XmlElement): ServerPairConfig {
  const alias = optional(server, "alias");
  const name = text(server, "name");
  return {
    name,
    alias,
    effectiveName: alias ?? name,
    port: int(server, "port"),
    listen: text(server, "listen"),
    allowUnsecuredAnonymous: bool(server, "allowUnsecuredAnonymous"),
    primary: endpoint(childElements(server, "primary")[0]),
    secondary: endpoint(childElements(server, "secondary")[0]),
    connection: connection(childElements(server, "connection")[0]),
    security: security(childElements(server, "security")[0]),
    monitoring: {
      failureCount: int(childElements(server, "monitoring")[0], "failureCount", "monitoring"),
      items: childElements(server, "monitoring")
        .flatMap((m) => childElements(m, "item"))
        .map(monitorItem),
    },
    clientLimits: {
      maxSessions: int(server, "maxSessions"),
      maxConnections: int(server, "maxConnections"),
      maxSessionTimeoutMs: int(server, "maxSessionTimeoutMs"),
    },
  };
}

function endpoint(element: XmlElement): EndpointConfig {
  const url = text(element, "url");
  return { url, host: optional(element, "host") ?? hostOf(url) };
}

/** The host part of an `opc.tcp://host:port/path` URL. */
export function hostOf(url: string): string {
  const m = /^opc\.tcp:\/\/(\[[^\]]+\]|[^:/]+)/i.exec(url);
  return m ? m[1] : url;
}

function connection(element: XmlElement | undefined): ConnectionConfig {
  return {
    mode: text(element, "mode", "connection") as ConnectionConfig["mode"],
    alwaysReconnectToPrimary: bool(element, "alwaysReconnectToPrimary", "connection"),
    statusIntervalMs: int(element, "statusIntervalMs", "connection"),
    statusTimeoutMs: int(element, "statusTimeoutMs", "connection"),
    failbackHoldDownMs: int(element, "failbackHoldDownMs", "connection"),
  };
}

function security(element: XmlElement | undefined): SecurityConfig {
  return {
    mode: text(element, "mode", "security") as SecurityConfig["mode"],
    policy: text(element, "policy", "security") as SecurityConfig["policy"],
    user: element && optional(element, "user"),
    passwordEnv: element && optional(element, "passwordEnv"),
    trustPolicy: text(element, "trustPolicy", "security") as SecurityConfig["trustPolicy"],
  };
}

function monitorItem(element: XmlElement): MonitorItemConfig {
  return {
    id: text(element, "id"),
    dataType: optional(element, "dataType") as MonitorItemConfig["dataType"],
    updateRateMs: int(element, "updateRateMs"),
    trigger: text(element, "trigger") as MonitorItemConfig["trigger"],
    triggerData: optional(element, "triggerData"),
  };
}

function diagnosticsConfig(element: XmlElement | undefined): DiagnosticsConfig {
  return {
    maxEvents: int(element, "maxEvents", "diagnostics"),
    preserveOnShutdown: bool(element, "preserveOnShutdown", "diagnostics"),
  };
}

function notificationsConfig(element: XmlElement | undefined): NotificationsConfig {
  const smtp = (role: string) => {
    const found = element && childElements(element, "smtp").find((s) => attribute(s, "role")?.value === role);
    return found && smtpConfig(found);
  };
  const texts = (name: string) => (element ? childElements(element, name).map((e) => e.text) : []);
  return {
    enabled: bool(element, "enabled", "notifications"),
    from: element && optional(element, "from"),
    subject: text(element, "subject", "notifications"),
    primary: smtp("primary"),
    secondary: smtp("secondary"),
    to: texts("to"),
    header: texts("header")[0],
    footer: texts("footer")[0],
    events: element ? childElements(element, "event").map((e) => attribute(e, "id")!.value) : [],
  };
}

function smtpConfig(element: XmlElement): SmtpConfig {
  return {
    host: text(element, "host"),
    port: int(element, "port"),
    secure: text(element, "secure") as SmtpConfig["secure"],
    user: optional(element, "user"),
  };
}

function optional(element: XmlElement, name: string): string | undefined {
  return attribute(element, name)?.value;
}

/** The attribute's value, else the format's default for it (elementName names the element when it may be absent). */
function text(element: XmlElement | undefined, name: string, elementName = element?.name ?? ""): string {
  const given = element && attribute(element, name)?.value;
  if (given !== undefined) return given;
  const fallback = attributeSpec(elementName, name)?.default;
  if (fallback === undefined) {
    const known = elementSpec(elementName) ? "" : " (unknown element)";
    throw new Error(`<${elementName}> has no ${name} and the format gives no default${known}`);
  }
  return fallback;
}

function int(element: XmlElement | undefined, name: string, elementName?: string): number {
  return Number(text(element, name, elementName));
}

function bool(element: XmlElement | undefined, name: string, elementName?: string): boolean {
  return text(element, name, elementName) === "true";
}
