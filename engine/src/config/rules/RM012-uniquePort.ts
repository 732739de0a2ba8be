import { attribute } from "../xmlTree";
import { intValue, lineOf, servers, valueSpan, type Finding, type Rule } from "./rule";

export const RM012: Rule = {
  code: "RM012",
  severity: "error",
  summary: "Each server listens on a port of its own.",
  check(doc) {
    const findings: Finding[] = [];
    const seen = new Map<string, number>();
    for (const server of servers(doc)) {
      const port = attribute(server, "port");
      if (!port) continue;
      // 048401 and 48401 are one port.
      const key = intValue(server, "port")?.toString() ?? port.value.trim();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, server.span.start);
      else findings.push({ span: valueSpan(port), message: `port ${key} is already used by the server on line ${lineOf(doc, first)}` });
    }
    return findings;
  },
};
