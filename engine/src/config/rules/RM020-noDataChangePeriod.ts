import { attributeSpec } from "../format";
import { attribute } from "../xmlTree";
import { intValue, monitorItems, servers, valueSpan, type Finding, type Rule } from "./rule";

export const RM020: Rule = {
  code: "RM020",
  severity: "warning",
  summary: "A noDataChange item's trigger data is at least 2 × its update rate (the engine raises it and logs that).",
  check(doc) {
    const findings: Finding[] = [];
    for (const item of servers(doc).flatMap(monitorItems)) {
      const trigger = attribute(item, "trigger");
      if (trigger?.value !== "noDataChange") continue;
      const rate = intValue(item, "updateRateMs") ?? Number(attributeSpec("item", "updateRateMs")!.default);
      const minimum = 2 * rate;
      const data = attribute(item, "triggerData");
      if (!data) {
        findings.push({
          span: valueSpan(trigger),
          message: `a noDataChange item needs triggerData (ms); the engine uses 2 × updateRateMs = ${minimum} ms`,
          data: { value: minimum },
        });
        continue;
      }
      const period = intValue(item, "triggerData");
      if (period !== undefined && period < minimum) {
        findings.push({
          span: valueSpan(data),
          message: `triggerData ${period} ms is below 2 × updateRateMs (${minimum} ms); the engine adjusts it to ${minimum} ms`,
          data: { value: minimum },
        });
      }
    }
    return findings;
  },
};
