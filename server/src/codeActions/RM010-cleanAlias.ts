import { fix, type QuickFix } from "./quickFix";

/** RM010: the alias without its `<`, `>` and `&`. */
export const RM010: QuickFix = {
  code: "RM010",
  fixes(context) {
    const replacement = context.finding.data?.replacement;
    if (typeof replacement !== "string") return [];
    return [fix(context, `Remove <, > and & from the alias ('${replacement}')`, [{ span: context.finding.span, newText: replacement }], true)];
  },
};
