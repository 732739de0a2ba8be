import { attributeSpec } from "../format";
import { attribute, childElements } from "../xmlTree";
import { intValue, valueSpan, type Rule } from "./rule";

const type = attributeSpec("diagnostics", "maxEvents")!.type as { min: number; max: number };

export const RM040: Rule = {
  code: "RM040",
  severity: "error",
  summary: `maxEvents lies between ${type.min} and ${type.max}.`,
  check(doc) {
    const diagnostics = doc.tree.root && childElements(doc.tree.root, "diagnostics")[0];
    const attr = diagnostics && attribute(diagnostics, "maxEvents");
    const value = intValue(diagnostics, "maxEvents");
    if (!attr || value === undefined || (value >= type.min && value <= type.max)) return [];
    return [
      {
        span: valueSpan(attr),
        message: `maxEvents must be between ${type.min} and ${type.max} (got ${value})`,
        data: { value: Math.min(Math.max(value, type.min), type.max) },
      },
    ];
  },
};
