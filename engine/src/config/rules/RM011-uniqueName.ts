import { attribute } from "../xmlTree";
import { lineOf, servers, shown, valueSpan, type Finding, type Rule } from "./rule";

export const RM011: Rule = {
  code: "RM011",
  severity: "error",
  summary: "Each server's effective name (alias, else name) is unique; pairs that share a name need distinct aliases.",
  check(doc) {
    const findings: Finding[] = [];
    const seen = new Map<string, number>();
    for (const server of servers(doc)) {
      const named = attribute(server, "alias") ?? attribute(server, "name");
      if (!named) continue;
      const first = seen.get(named.value);
      if (first === undefined) {
        seen.set(named.value, server.span.start);
        continue;
      }
      findings.push({
        span: valueSpan(named),
        message: `the effective name '${shown(named.value)}' is already used by the server on line ${lineOf(doc, first)}; give one of them a distinct alias`,
      });
    }
    return findings;
  },
};
