import { dataValue, fix, type QuickFix } from "./quickFix";

/** RM040: maxEvents clamped to 1000 … 30000. */
export const RM040: QuickFix = {
  code: "RM040",
  fixes(context) {
    const value = dataValue(context.finding);
    return value === undefined ? [] : [fix(context, `Set maxEvents to ${value}`, [{ span: context.finding.span, newText: String(value) }], true)];
  },
};
