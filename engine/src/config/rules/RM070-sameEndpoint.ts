import { attribute } from "../xmlTree";
import { firstChild, servers, shown, valueSpan, type Rule } from "./rule";

/** Compares endpoints as a connection would: case-insensitive host, loopback names alike, no trailing slash. */
export function normalizeEndpoint(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^opc\.tcp:\/\/(localhost|127\.0\.0\.1|\[::1\])(?=[:/]|$)/, "opc.tcp://loopback")
    .replace(/\/+$/, "");
}

export const RM070: Rule = {
  code: "RM070",
  severity: "warning",
  summary: "The primary and the secondary are different endpoints (otherwise there is no redundancy).",
  check: (doc) =>
    servers(doc).flatMap((server) => {
      const primary = firstChild(server, "primary");
      const secondary = firstChild(server, "secondary");
      const a = primary && attribute(primary, "url");
      const b = secondary && attribute(secondary, "url");
      if (!a || !b || normalizeEndpoint(a.value) !== normalizeEndpoint(b.value)) return [];
      return [{ span: valueSpan(b), message: `the secondary is the same endpoint as the primary (${shown(a.value)}): the pair has no redundancy` }];
    }),
};
