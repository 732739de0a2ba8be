import { RULES } from "./rules";
import type { RuleSeverity } from "./rules/rule";
import { LineIndex, type Range, type Span } from "./textPositions";
import { parseXml, type XmlTree } from "./xmlTree";

/** A finding of one rule, with its LSP range; the shape `validate --format json` prints. */
export interface ConfigDiagnostic {
  code: string;
  severity: RuleSeverity;
  message: string;
  range: Range;
  span: Span;
  data?: Record<string, unknown>;
}

export interface ConfigAnalysis {
  text: string;
  tree: XmlTree;
  lines: LineIndex;
  diagnostics: ConfigDiagnostic[];
}

/** Parses and validates a document: what the editor and `redundancymaster validate` both run. */
export function analyzeConfig(text: string): ConfigAnalysis {
  const tree = parseXml(text);
  const lines = new LineIndex(text);
  const doc = { text, tree };
  const diagnostics = RULES.flatMap((rule) =>
    rule.check(doc).map((f) => ({
      code: rule.code,
      severity: rule.severity,
      message: f.message,
      range: lines.rangeOf(f.span),
      span: f.span,
      ...(f.data ? { data: f.data } : {}),
    })),
  ).sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
  return { text, tree, lines, diagnostics };
}

export function validateConfigText(text: string): ConfigDiagnostic[] {
  return analyzeConfig(text).diagnostics;
}

export function hasErrors(diagnostics: readonly ConfigDiagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
