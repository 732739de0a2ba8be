import type { CodeAction, Diagnostic } from "vscode-languageserver/node";
import type { ConfigAnalysis } from "../../../engine/src/config/validate";
import { RM002 } from "./RM002-closestName";
import { RM010 } from "./RM010-cleanAlias";
import { RM020 } from "./RM020-setTriggerData";
import { RM022 } from "./RM022-clampFailureCount";
import { RM023 } from "./RM023-dropTriggerData";
import { RM030 } from "./RM030-coldReconnect";
import { RM040 } from "./RM040-clampMaxEvents";
import type { QuickFix } from "./quickFix";

const QUICK_FIXES = new Map<string, QuickFix>([RM002, RM010, RM020, RM022, RM023, RM030, RM040].map((f) => [f.code, f]));

/**
 * Quick fixes for the client's diagnostics, chosen by `diagnostic.code` only. Each is matched to
 * the engine's finding at the same place in the current analysis, so a stale or foreign
 * diagnostic gets no fix rather than a wrong one.
 */
export function quickFixes(uri: string, diagnostics: Diagnostic[], analysis: ConfigAnalysis): CodeAction[] {
  return diagnostics.flatMap((diagnostic) => {
    const quickFix = typeof diagnostic.code === "string" ? QUICK_FIXES.get(diagnostic.code) : undefined;
    const finding =
      quickFix &&
      analysis.diagnostics.find(
        (d) =>
          d.code === diagnostic.code &&
          d.range.start.line === diagnostic.range.start.line &&
          d.range.start.character === diagnostic.range.start.character &&
          d.range.end.line === diagnostic.range.end.line &&
          d.range.end.character === diagnostic.range.end.character,
      );
    return quickFix && finding ? quickFix.fixes({ uri, diagnostic, finding, analysis }) : [];
  });
}
