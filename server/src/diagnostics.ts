import { DiagnosticSeverity, type Diagnostic } from "vscode-languageserver/node";
import type { ConfigDiagnostic } from "../../engine/src/config/validate";

/** Where each code is documented: the README's table has one anchor per code (`#rm020`). */
export const RULE_DOCS_BASE_URL = "https://github.com/redundancymaster/redundancymaster-vscode";

export const DIAGNOSTIC_SOURCE = "redundancymaster";

/** The engine's finding as the editor shows it; `data` travels to the client and back to the quick fixes. */
export function toLspDiagnostic(d: ConfigDiagnostic): Diagnostic {
  return {
    range: d.range,
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    codeDescription: { href: `${RULE_DOCS_BASE_URL}#${d.code.toLowerCase()}` },
    source: DIAGNOSTIC_SOURCE,
    message: d.message,
    ...(d.data ? { data: d.data } : {}),
  };
}
