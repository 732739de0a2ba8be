import { attribute } from "../xmlTree";
import { monitorItems, servers, shown, valueSpan, type Rule } from "./rule";

// OPC UA Part 6 §5.3.1.10 string form: [ns=<index>;|nsu=<uri>;]<i|s|g|b>=<identifier>.
const NODE_ID = /^(?:ns=(\d{1,5});|nsu=[^;]+;)?(?:i=(\d{1,10})|s=.+|g=[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|b=[A-Za-z0-9+/]+={0,2})$/s;

export function isNodeId(value: string): boolean {
  const m = NODE_ID.exec(value);
  if (!m) return false;
  return (m[1] === undefined || Number(m[1]) <= 65535) && (m[2] === undefined || Number(m[2]) <= 0xffffffff);
}

export const RM060: Rule = {
  code: "RM060",
  severity: "error",
  summary: "An item id is a valid OPC UA NodeId (ns=2;s=…, i=…, g=…, b=…).",
  check: (doc) =>
    servers(doc)
      .flatMap(monitorItems)
      .flatMap((item) => {
        const id = attribute(item, "id");
        if (!id || isNodeId(id.value)) return [];
        return [{ span: valueSpan(id), message: `'${shown(id.value)}' is not an OPC UA NodeId; write e.g. ns=2;s=Channel_1.Device_1.Tag_1 or i=2258` }];
      }),
};
