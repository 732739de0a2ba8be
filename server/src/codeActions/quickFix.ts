import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from "vscode-languageserver/node";
import type { Span } from "../../../engine/src/config/textPositions";
import type { ConfigAnalysis, ConfigDiagnostic } from "../../../engine/src/config/validate";

/** What a quick fix sees: the client's diagnostic, the engine's finding behind it, and the analysis. */
export interface FixContext {
  uri: string;
  diagnostic: Diagnostic;
  finding: ConfigDiagnostic;
  analysis: ConfigAnalysis;
}

/** The quick fixes of one diagnostic code (one file per code, lemminx-style). */
export interface QuickFix {
  code: string;
  fixes(context: FixContext): CodeAction[];
}

/** A quick fix that edits only this document. */
export function fix(context: FixContext, title: string, edits: { span: Span; newText: string }[], preferred = false): CodeAction {
  const changes: TextEdit[] = edits.map((e) => ({ range: context.analysis.lines.rangeOf(e.span), newText: e.newText }));
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [context.diagnostic],
    isPreferred: preferred,
    edit: { changes: { [context.uri]: changes } },
  };
}

/** The number a clamping rule computed (`data.value`), when it gave one. */
export function dataValue(finding: ConfigDiagnostic): number | undefined {
  const value = finding.data?.value;
  return typeof value === "number" ? value : undefined;
}

/** The span that removes an attribute (`name="value"`, as a rule reported it) with the whitespace before it. */
export function attributeRemoval(text: string, attribute: Span): Span {
  let start = attribute.start;
  while (start > 0 && /\s/.test(text[start - 1])) start--;
  return { start, end: attribute.end };
}
