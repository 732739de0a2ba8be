import { attribute } from "../../../engine/src/config/xmlTree";
import { elementAt } from "../elementAt";
import { dataValue, fix, type QuickFix } from "./quickFix";

/** RM020: a noDataChange period below 2 × the update rate becomes exactly 2 × (what the engine would use). */
export const RM020: QuickFix = {
  code: "RM020",
  fixes(context) {
    const value = dataValue(context.finding);
    const item = elementAt(context.analysis.tree.root, context.finding.span.start);
    if (value === undefined || item?.name !== "item") return [];
    const triggerData = attribute(item, "triggerData");
    const title = `Set triggerData to ${value} (2 × updateRateMs)`;
    if (triggerData) return [fix(context, title, [{ span: triggerData.valueSpan, newText: String(value) }], true)];
    const trigger = attribute(item, "trigger");
    if (!trigger) return [];
    const afterQuote = trigger.valueSpan.end + 1;
    return [fix(context, title, [{ span: { start: afterQuote, end: afterQuote }, newText: ` triggerData="${value}"` }], true)];
  },
};
