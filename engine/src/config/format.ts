import { EVENT_IDS } from "../events/catalog";

/**
 * The one declarative description of redundancymaster.xml (format version 1): elements,
 * attributes, types, ranges, defaults and one-line docs. The model builder, the validation
 * rules, the language server's completion and hover, and schemas/redundancymaster.xsd all
 * derive from this table; change the format here and nowhere else.
 */
export type ValueType =
  | { kind: "string"; nonEmpty?: boolean }
  | { kind: "integer"; min: number; max: number; /** a rule of its own owns the range check */ rangeRule?: string }
  | { kind: "boolean" }
  | { kind: "enum"; values: readonly string[]; docs?: Readonly<Record<string, string>> }
  /** checked by RM051 */
  | { kind: "email" }
  /** checked by RM060 */
  | { kind: "nodeId" }
  /** an IPv4 or IPv6 address (RM003) */
  | { kind: "ipAddress" }
  | { kind: "opcUrl" };

export interface AttributeSpec {
  name: string;
  type: ValueType;
  required?: boolean;
  default?: string;
  doc: string;
}

export interface ChildSpec {
  name: string;
  min: number;
  max: number;
}

export interface ElementSpec {
  name: string;
  doc: string;
  attributes: readonly AttributeSpec[];
  children: readonly ChildSpec[];
  /** Elements whose content is text (e.g. `<to>`). */
  text?: { type: ValueType; doc: string };
}

export const FORMAT_VERSION = "1";
export const ROOT_ELEMENT = "redundancyMaster";
export const NAMESPACE = "";

export const MODES = ["cold", "warm", "hot"] as const;
export const TRIGGERS = ["badQuality", "specificValue", "noDataChange"] as const;
export const SECURITY_MODES = ["None", "Sign", "SignAndEncrypt"] as const;
export const SECURITY_POLICIES = ["None", "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss"] as const;
export const TRUST_POLICIES = ["firstUse", "explicit"] as const;
export const SMTP_ROLES = ["primary", "secondary"] as const;

/** OPC UA built-in data types a monitor item can request (Part 6, 5.1.2). */
export const DATA_TYPES = [
  "Boolean",
  "SByte",
  "Byte",
  "Int16",
  "UInt16",
  "Int32",
  "UInt32",
  "Int64",
  "UInt64",
  "Float",
  "Double",
  "String",
  "DateTime",
  "Guid",
  "ByteString",
  "XmlElement",
  "NodeId",
  "ExpandedNodeId",
  "StatusCode",
  "QualifiedName",
  "LocalizedText",
] as const;

const port = (doc: string): AttributeSpec => ({ name: "port", type: { kind: "integer", min: 1, max: 65535 }, required: true, doc });

const side = (which: "primary" | "secondary"): ElementSpec => ({
  name: which,
  doc:
    which === "primary"
      ? "The preferred server: every start connects here first; with alwaysReconnectToPrimary the engine returns here when it is healthy again."
      : "The fallback server, used when the primary is unavailable.",
  attributes: [
    { name: "host", type: { kind: "string", nonEmpty: true }, doc: "Machine name shown in events (defaults to the URL's host)." },
    { name: "url", type: { kind: "opcUrl" }, required: true, doc: "The server's endpoint URL, `opc.tcp://host:port[/path]`." },
  ],
  children: [],
});

export const ELEMENTS: Readonly<Record<string, ElementSpec>> = {
  redundancyMaster: {
    name: "redundancyMaster",
    doc: "A RedundancyMaster configuration: the redundant server pairs, diagnostics and e-mail notifications.",
    attributes: [{ name: "version", type: { kind: "enum", values: [FORMAT_VERSION] }, required: true, doc: "Format version; lets a later format migrate this file." }],
    children: [
      { name: "server", min: 0, max: Infinity },
      { name: "diagnostics", min: 0, max: 1 },
      { name: "notifications", min: 0, max: 1 },
      { name: "metrics", min: 0, max: 1 },
    ],
  },
  server: {
    name: "server",
    doc: "A redundant pair: a primary and a secondary OPC UA server served to clients on one endpoint.",
    attributes: [
      { name: "name", type: { kind: "string", nonEmpty: true }, required: true, doc: "The redundant server's name (the upstream server's application name)." },
      { name: "alias", type: { kind: "string", nonEmpty: true }, doc: "Lets several pairs share one name; the effective name (alias, else name) must be unique. No `<`, `>` or `&`." },
      port("TCP port of this pair's OPC UA endpoint, where the clients connect."),
      {
        name: "listen",
        type: { kind: "ipAddress" },
        default: "127.0.0.1",
        doc: "The address the pair's endpoint listens on, and no other: 127.0.0.1 (clients on this machine only), an interface's address, or 0.0.0.0 / :: for every interface.",
      },
      {
        name: "allowUnsecuredAnonymous",
        type: { kind: "boolean" },
        default: "false",
        doc: "On a listen address other machines reach, also offer SecurityMode None to anonymous clients (unsigned, unencrypted, no login: anyone who reaches the port reads and writes). Off by default: there, None is offered only when `<security>` names a user (no anonymous access).",
      },
      {
        name: "maxSessions",
        type: { kind: "integer", min: 1, max: 10_000 },
        default: "100",
        doc: "Sessions the pair's endpoint serves at once; a client beyond them is refused (BadTooManySessions) and the event endpointClientRefused says so.",
      },
      {
        name: "maxConnections",
        type: { kind: "integer", min: 1, max: 10_000 },
        default: "100",
        doc: "TCP connections the pair's endpoint accepts at once (each client needs one); one beyond them is closed at once and the event endpointClientRefused says so.",
      },
      {
        name: "maxSessionTimeoutMs",
        type: { kind: "integer", min: 10_000, max: 3_600_000 },
        default: "60000",
        doc: "The longest session timeout a client of the endpoint is granted (ms): a client that vanishes without closing its session frees it, and its subscriptions, within this time.",
      },
    ],
    children: [
      { name: "primary", min: 1, max: 1 },
      { name: "secondary", min: 1, max: 1 },
      { name: "connection", min: 0, max: 1 },
      { name: "security", min: 0, max: 1 },
      { name: "monitoring", min: 0, max: 1 },
    ],
  },
  primary: side("primary"),
  secondary: side("secondary"),
  connection: {
    name: "connection",
    doc: "How and when the engine connects to the primary and the secondary, and how often it checks them.",
    attributes: [
      {
        name: "mode",
        type: {
          kind: "enum",
          values: MODES,
          docs: {
            cold: "Cold: active machine only. One connection at a time; on failure the engine ping-pongs between the two until one answers, then re-creates the subscriptions there. Fewest resources, longest failover, data lost meanwhile.",
            warm: "Warm: both machines connected, items subscribed on the active machine only; at failover the subscriptions are created on the other. Short failover, modest traffic.",
            hot: "Hot: both machines connected and subscribed; the secondary's data is held back until failover, which is only a switch of streams. Fastest failover, most traffic.",
          },
        },
        default: "warm",
        doc: "Connection mode: cold, warm or hot.",
      },
      { name: "alwaysReconnectToPrimary", type: { kind: "boolean" }, default: "false", doc: "Promote back to the primary as soon as it is healthy again (warm and hot; not supported in cold mode)." },
      {
        name: "statusIntervalMs",
        type: { kind: "integer", min: 100, max: 3_600_000 },
        default: "1000",
        doc: "How often each connected server's status is queried (ms). Faster querying detects failures sooner.",
      },
      { name: "statusTimeoutMs", type: { kind: "integer", min: 50, max: 600_000 }, default: "500", doc: "How long to wait for a status reply before communications count as lost (ms)." },
      {
        name: "failbackHoldDownMs",
        type: { kind: "integer", min: 0, max: 3_600_000 },
        default: "10000",
        doc: "Flap damping of failback (ms): a primary lost again soon after it came back is failed back to only once it has stayed healthy this long, doubling with each further flap (up to 16 ×); a primary that comes back once and stays is failed back to at once. 0 turns damping off.",
      },
    ],
    children: [],
  },
  security: {
    name: "security",
    doc: "Security of the engine's sessions to the upstream servers. Passwords never live in this file.",
    attributes: [
      { name: "mode", type: { kind: "enum", values: SECURITY_MODES }, default: "None", doc: "Message security mode of the upstream sessions." },
      { name: "policy", type: { kind: "enum", values: SECURITY_POLICIES }, default: "None", doc: "Security policy of the upstream sessions." },
      { name: "user", type: { kind: "string", nonEmpty: true }, doc: "User name for the upstream sessions; the password comes from the environment variable named in passwordEnv." },
      { name: "passwordEnv", type: { kind: "string", nonEmpty: true }, doc: "Name of the environment variable that holds the upstream user's password." },
      {
        name: "trustPolicy",
        type: {
          kind: "enum",
          values: TRUST_POLICIES,
          docs: {
            firstUse:
              "firstUse: the first certificate each server URL presents is trusted and pinned (an event records its thumbprint); a different certificate later is refused until a person trusts it.",
            explicit:
              "explicit: a server's certificate must be in the trust list (`<state>/pki/upstream/trusted/certs`) before a session is opened; an unknown one is filed in `rejected/` and the side stays Disconnected.",
          },
        },
        default: "firstUse",
        doc: "How the upstream servers' certificates come to be trusted: firstUse or explicit. No credential is sent to a server before its certificate is trusted.",
      },
    ],
    children: [],
  },
  monitoring: {
    name: "monitoring",
    doc: "Monitor items: conditions on server items that trigger a failover beyond lost communications.",
    attributes: [
      { name: "failureCount", type: { kind: "integer", min: 1, max: 1_000_000, rangeRule: "RM022" }, default: "1", doc: "Fail over when this many monitor items are in error (1 … number of items)." },
    ],
    children: [{ name: "item", min: 0, max: Infinity }],
  },
  item: {
    name: "item",
    doc: "A monitor item: a server item tested for an error condition on each side.",
    attributes: [
      { name: "id", type: { kind: "nodeId" }, required: true, doc: "The item's OPC UA NodeId, e.g. `ns=2;s=Channel_1.Device_1.Tag_1` or `i=2258`." },
      { name: "dataType", type: { kind: "enum", values: DATA_TYPES }, doc: "Requested data type; omit for the server's native type." },
      { name: "updateRateMs", type: { kind: "integer", min: 10, max: 3_600_000 }, default: "1000", doc: "How often the server should report the item (ms)." },
      {
        name: "trigger",
        type: {
          kind: "enum",
          values: TRIGGERS,
          docs: {
            badQuality: "In error while the item's status is Bad; cleared by a Good value.",
            specificValue: "In error while the item equals triggerData (JSON for arrays); cleared by any other value.",
            noDataChange: "In error when no data change arrives within triggerData ms (at least 2 × updateRateMs); cleared by the next update.",
          },
        },
        required: true,
        doc: "The error condition: badQuality, specificValue or noDataChange.",
      },
      { name: "triggerData", type: { kind: "string" }, doc: "The value for specificValue, or the period in ms for noDataChange." },
    ],
    children: [],
  },
  diagnostics: {
    name: "diagnostics",
    doc: "The runtime event log.",
    attributes: [
      { name: "maxEvents", type: { kind: "integer", min: 1000, max: 30000, rangeRule: "RM040" }, default: "5000", doc: "Events kept; the oldest are dropped beyond this (1000 … 30000)." },
      { name: "preserveOnShutdown", type: { kind: "boolean" }, default: "true", doc: "Keep the events on disk across restarts; new events are appended." },
    ],
    children: [],
  },
  metrics: {
    name: "metrics",
    doc: "Operating figures (values forwarded, failovers, item counts, queue depths, the engine's memory and event-loop lag) in Prometheus' text format at http://127.0.0.1:<port>/metrics. Without this element the engine opens no such port.",
    attributes: [port("TCP port of the metrics listener, bound to 127.0.0.1 only (a Prometheus or its agent on this machine scrapes it); not a pair's endpoint port.")],
    children: [],
  },
  notifications: {
    name: "notifications",
    doc: "E-mail notifications of selected runtime events, through a primary or a secondary SMTP server.",
    attributes: [
      { name: "enabled", type: { kind: "boolean" }, default: "false", doc: "Send e-mail notifications." },
      { name: "from", type: { kind: "email" }, doc: "Sender address of every notification." },
      { name: "subject", type: { kind: "string" }, default: "RedundancyMaster e-mail notification.", doc: "Subject of every notification." },
    ],
    children: [
      { name: "smtp", min: 0, max: 2 },
      { name: "to", min: 0, max: Infinity },
      { name: "header", min: 0, max: 1 },
      { name: "footer", min: 0, max: 1 },
      { name: "event", min: 0, max: Infinity },
    ],
  },
  smtp: {
    name: "smtp",
    doc: "An SMTP server. Mail goes through the primary; on failure through the secondary, which is kept until it fails. Passwords come from the environment or VS Code's secret store.",
    attributes: [
      { name: "role", type: { kind: "enum", values: SMTP_ROLES }, required: true, doc: "primary or secondary." },
      { name: "host", type: { kind: "string", nonEmpty: true }, required: true, doc: "Host name or IP address of the SMTP server." },
      { name: "port", type: { kind: "integer", min: 1, max: 65535 }, default: "25", doc: "SMTP port." },
      { name: "secure", type: { kind: "enum", values: ["none", "starttls", "tls"] }, default: "none", doc: "Transport security: none, starttls (upgrade) or tls (implicit)." },
      { name: "user", type: { kind: "string", nonEmpty: true }, doc: "SMTP user name; the password is never stored in this file." },
    ],
    children: [],
  },
  to: { name: "to", doc: "A recipient.", attributes: [], children: [], text: { type: { kind: "email" }, doc: "Recipient e-mail address." } },
  header: { name: "header", doc: "Text before the event in each mail.", attributes: [], children: [], text: { type: { kind: "string" }, doc: "Header text." } },
  footer: { name: "footer", doc: "Text after the event in each mail.", attributes: [], children: [], text: { type: { kind: "string" }, doc: "Footer text." } },
  event: {
    name: "event",
    doc: "A runtime event to be mailed when it occurs.",
    attributes: [{ name: "id", type: { kind: "enum", values: EVENT_IDS }, required: true, doc: "The event id, e.g. promoted.secondary." }],
    children: [],
  },
};

export function elementSpec(name: string): ElementSpec | undefined {
  return Object.prototype.hasOwnProperty.call(ELEMENTS, name) ? ELEMENTS[name] : undefined;
}

export function attributeSpec(element: string, attribute: string): AttributeSpec | undefined {
  return elementSpec(element)?.attributes.find((a) => a.name === attribute);
}
