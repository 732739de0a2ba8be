import { attribute, childElements } from "../xmlTree";
import { intValue, lineOf, servers, valueSpan, type Rule } from "./rule";

export const RM013: Rule = {
  code: "RM013",
  severity: "error",
  summary: "The metrics port is none of the servers' ports (both listen on this machine).",
  check(doc) {
    const metrics = doc.tree.root && childElements(doc.tree.root, "metrics")[0];
    const attr = metrics && attribute(metrics, "port");
    const port = intValue(metrics, "port");
    if (!attr || port === undefined) return [];
    const server = servers(doc).find((s) => intValue(s, "port") === port);
    return server ? [{ span: valueSpan(attr), message: `port ${port} is the endpoint port of the server on line ${lineOf(doc, server.span.start)}` }] : [];
  },
};
