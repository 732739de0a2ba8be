import type { Rule } from "./rule";

export const RM001: Rule = {
  code: "RM001",
  severity: "error",
  summary: "The file must be well-formed XML without a DTD (reading stops after 100 syntax errors).",
  check: (doc) => doc.tree.errors.map((e) => ({ span: e.span, message: `not well-formed XML: ${e.message}` })),
};
