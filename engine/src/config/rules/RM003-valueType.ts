import { isIP } from "node:net";
import { elementSpec, type ValueType } from "../format";
import { anchored, OPC_URL_PATTERN } from "../patterns";
import { attribute, walk } from "../xmlTree";
import { INTEGER, shown, valueSpan, type Finding, type Rule } from "./rule";

/**
 * Values of the wrong type, outside their enum or their range. E-mail addresses (RM051),
 * NodeIds (RM060) and ranges that a rule of their own owns (RM040) are left to those rules.
 */
export const RM003: Rule = {
  code: "RM003",
  severity: "error",
  summary: "Every value has the format's type, one of its enum values, and lies in its range.",
  check(doc) {
    const findings: Finding[] = [];
    for (const element of walk(doc.tree.root)) {
      const spec = elementSpec(element.name);
      if (!spec) continue;
      for (const attr of element.attributes) {
        const attrSpec = spec.attributes.find((a) => a.name === attr.name);
        if (!attrSpec) continue;
        const problem = typeProblem(attrSpec.type, attr.value);
        if (problem) findings.push({ span: valueSpan(attr), message: `${attr.name} ${problem}`, data: enumData(attrSpec.type) });
      }
      if (spec.text && element.textSpan) {
        const problem = typeProblem(spec.text.type, element.text);
        if (problem) findings.push({ span: element.textSpan, message: `<${element.name}> ${problem}` });
      }
      if (element.name === "item" && attribute(element, "trigger")?.value === "noDataChange") {
        const data = attribute(element, "triggerData");
        if (data && !INTEGER.test(data.value.trim())) {
          findings.push({ span: valueSpan(data), message: `triggerData of a noDataChange item must be a period in milliseconds (got '${shown(data.value)}')` });
        }
      }
    }
    return findings;
  },
};

/** Why `value` does not fit `type`, or undefined when it does. */
export function typeProblem(type: ValueType, value: string): string | undefined {
  switch (type.kind) {
    case "string":
      return type.nonEmpty && value.trim() === "" ? "must not be empty" : undefined;
    case "boolean":
      return value === "true" || value === "false" ? undefined : `must be true or false (got '${shown(value)}')`;
    case "enum":
      return type.values.includes(value) ? undefined : `must be one of ${listOf(type.values)} (got '${shown(value)}')`;
    case "integer": {
      const trimmed = value.trim();
      if (!INTEGER.test(trimmed)) return `must be a whole number (got '${shown(value)}')`;
      const n = Number(trimmed);
      if (type.rangeRule) return undefined;
      return n < type.min || n > type.max ? `must be between ${type.min} and ${type.max} (got ${n})` : undefined;
    }
    case "opcUrl":
      return OPC_URL.test(value) ? undefined : `must be an OPC UA endpoint URL such as opc.tcp://host:4840 (got '${shown(value)}')`;
    case "ipAddress":
      return isIP(value) ? undefined : `must be an IPv4 or IPv6 address such as 127.0.0.1 or 0.0.0.0 (got '${shown(value)}')`;
    case "email":
    case "nodeId":
      return undefined;
  }
}

const OPC_URL = anchored(OPC_URL_PATTERN);

function listOf(values: readonly string[]): string {
  return values.length > 12 ? `${values.slice(0, 12).join(", ")}, …` : values.join(", ");
}

function enumData(type: ValueType): Record<string, unknown> | undefined {
  return type.kind === "enum" ? { kind: "enum", values: type.values } : undefined;
}
