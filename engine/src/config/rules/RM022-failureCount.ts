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
      if (!attr || count === undefined) continue;
      // Without items there is nothing to count, so only the lower bound applies.
      const max = Math.max(items, 1);
      if (count < 1 || (items > 0 && count > items)) {
        findings.push({
          span: valueSpan(attr),
          message: items > 0 ? `failureCount must be between 1 and the number of monitor items, ${items} (got ${count})` : `failureCount must be at least 1 (got ${count})`,
          data: { value: Math.min(Math.max(count, 1), max) },
        });
      }
    }
    return findings;
  },
};
