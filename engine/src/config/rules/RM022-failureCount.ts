import { attribute, childElements } from "../xmlTree";
import { intValue, servers, valueSpan, type Finding, type Rule } from "./rule";

export const RM022: Rule = {
  code: "RM022",
  severity: "error",
  summary: "failureCount lies between 1 and the number of monitor items.",
  check(doc) {
    const findings: Finding[] = [];
    for (const monitoring of servers(doc).flatMap((s) => childElements(s, "monitoring"))) {
      const attr = attribute(monitoring, "failureCount");
      const count = intValue(monitoring, "failureCount");
      const items = childElements(monitoring, "item").length;
      if (!attr || count === undefined || items === 0) continue;
      if (count < 1 || count > items) {
        findings.push({
          span: valueSpan(attr),
          message: `failureCount must be between 1 and the number of monitor items, ${items} (got ${count})`,
          data: { value: Math.min(Math.max(count, 1), items) },
        });
      }
    }
    return findings;
  },
};
