import { attributeRemoval, fix, type QuickFix } from "./quickFix";

/** RM023: triggerData on a badQuality item is ignored; remove it. */
export const RM023: QuickFix = {
  code: "RM023",
  fixes: (context) => [fix(context, "Remove triggerData (ignored by the badQuality trigger)", [{ span: attributeRemoval(context.analysis.text, context.finding.span), newText: "" }], true)],
};
