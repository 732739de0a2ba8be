import { dataValue, fix, type QuickFix } from "./quickFix";

/** RM022: the failure count clamped to 1 … number of monitor items. */
export const RM022: QuickFix = {
  code: "RM022",
  fixes(context) {
    const value = dataValue(context.finding);
    return value === undefined ? [] : [fix(context, `Set failureCount to ${value}`, [{ span: context.finding.span, newText: String(value) }], true)];
  },
};
