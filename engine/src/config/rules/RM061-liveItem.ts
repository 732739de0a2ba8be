import type { Rule } from "./rule";

/**
 * The live check: an item id missing on the primary, the secondary or both. It needs the
 * servers, so its check lives with the callers that can reach them (the language server and
 * `validate --live`); offline validation finds nothing here. The code is reserved by this entry.
 */
export const RM061: Rule = {
  code: "RM061",
  severity: "warning",
  summary: "An item id exists on both the primary and the secondary (live check; otherwise the pair is not synced).",
  check: () => [],
};
