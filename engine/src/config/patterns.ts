/**
 * Value patterns shared by the rules (as JavaScript RegExps) and the XSD (as xs:pattern facets).
 * Each is written in the common subset of both syntaxes: no `(?:`, no `\/`, no lookaround, and no
 * anchors (XSD patterns are implicitly anchored; `anchored` adds them for JavaScript). Where the
 * two dialects differ (`\d`, `\s` and `.` are Unicode-wider in XSD) the XSD is the more lenient,
 * so it never rejects a value that `validate` accepts.
 */

/** local@domain, domain a host name (a dot is not required: bob@localhost is a valid SMTP address). */
export const EMAIL_PATTERN = "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*";

/** `opc.tcp://host[:port][/path]`, the host a name, an IPv4 address or a bracketed IPv6 address. */
export const OPC_URL_PATTERN = "opc\\.tcp://(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(:\\d{1,5})?(/\\S*)?";

/**
 * OPC UA Part 6 §5.3.1.10 NodeId string form, [ns=<index>;]<i|s|g|b>=<identifier>, or the
 * ExpandedNodeId form naming the namespace by URI (§5.3.1.11), nsu=<uri>;<i|s|g|b>=<identifier>.
 * Groups: 2 the namespace index, 4 a numeric identifier, 5 a GUID.
 */
export const NODE_ID_PATTERN = "(ns=(\\d{1,5});|nsu=[^;]+;)?(i=(\\d{1,10})|s=.+|g=([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})|b=[A-Za-z0-9+/]+={0,2})";

/** An IPv4 or IPv6 address, loosely: `validate` checks it exactly (node:net isIP). */
export const IP_ADDRESS_PATTERN = "[0-9A-Fa-f:.]+";

export function anchored(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}
