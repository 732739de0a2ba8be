import { anchored, NODE_ID_PATTERN } from "../patterns";
import { attribute } from "../xmlTree";
import { monitorItems, servers, shown, valueSpan, type Rule } from "./rule";

// Stricter than node-opcua where it silently misreads (`i=abc` becomes i=0, `s=a⏎b` becomes s=a),
// and null NodeIds (i=0, s=, an all-zero GUID) name no node; test/unit/config.nodeId.test.ts holds
// the two to agreement.
const NODE_ID = anchored(NODE_ID_PATTERN);

export function isNodeId(value: string): boolean {
  const m = NODE_ID.exec(value);
  if (!m) return false;
  const [, , ns, , numeric, guid] = m;
  if (ns !== undefined && Number(ns) > 65535) return false;
  if (numeric !== undefined && (Number(numeric) === 0 || Number(numeric) > 0xffffffff)) return false;
  return guid === undefined || /[1-9A-Fa-f]/.test(guid);
}

export const RM060: Rule = {
  code: "RM060",
  severity: "error",
  summary: "An item id is a valid, non-null OPC UA NodeId (ns=2;s=…, i=…, g=…, b=…), or one that names its namespace by URI (nsu=urn:…;s=…).",
  check: (doc) =>
    servers(doc)
      .flatMap(monitorItems)
      .flatMap((item) => {
        const id = attribute(item, "id");
        if (!id || isNodeId(id.value)) return [];
        const message = `'${shown(id.value)}' is not an OPC UA NodeId; write e.g. ns=2;s=Channel_1.Device_1.Tag_1, nsu=urn:plant;s=Tag_1 or i=2258`;
        return [{ span: valueSpan(id), message }];
      }),
};
