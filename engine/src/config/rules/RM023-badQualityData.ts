import { attribute } from "../xmlTree";
import { monitorItems, servers, wholeAttributeSpan, type Rule } from "./rule";

export const RM023: Rule = {
  code: "RM023",
  severity: "warning",
  summary: "A badQuality item takes no trigger data (it would be ignored).",
  check: (doc) =>
    servers(doc)
      .flatMap(monitorItems)
      .flatMap((item) => {
        const data = attribute(item, "triggerData");
        if (attribute(item, "trigger")?.value !== "badQuality" || !data) return [];
        return [{ span: wholeAttributeSpan(data), message: "triggerData is ignored by the badQuality trigger" }];
      }),
};
