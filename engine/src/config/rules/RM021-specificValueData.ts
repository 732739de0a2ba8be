import { attribute } from "../xmlTree";
import { monitorItems, servers, valueSpan, type Rule } from "./rule";

export const RM021: Rule = {
  code: "RM021",
  severity: "error",
  summary: "A specificValue item names its value in triggerData.",
  check: (doc) =>
    servers(doc)
      .flatMap(monitorItems)
      .flatMap((item) => {
        const trigger = attribute(item, "trigger");
        if (trigger?.value !== "specificValue" || attribute(item, "triggerData")) return [];
        return [{ span: valueSpan(trigger), message: "a specificValue item needs triggerData: the value that puts the item in error (JSON for arrays)" }];
      }),
};
