import { elementRemoval } from "../../../engine/src/config/elementRemoval";
import { elementAt } from "../elementAt";
import { closest } from "./editDistance";
import { attributeRemoval, fix, type QuickFix } from "./quickFix";

/**
 * RM002: an unknown attribute or element renamed to the closest name the format allows there
 * (preferred, when one is close), or removed.
 */
export const RM002: QuickFix = {
  code: "RM002",
  fixes(context) {
    const data = context.finding.data;
    if (!data || typeof data.name !== "string" || !Array.isArray(data.suggestions)) return [];
    const { span } = context.finding;
    const { text } = context.analysis;
    const element = elementAt(context.analysis.tree.root, span.start);
    if (!element) return [];
    if (data.kind === "unknownAttribute") {
      const present = element.attributes.map((a) => a.name);
      const name = closest(
        data.name,
        (data.suggestions as string[]).filter((s) => !present.includes(s)),
      );
      const attribute = element.attributes.find((a) => a.nameSpan.start === span.start);
      // The value's closing quote ends the attribute.
      const whole = attribute && { start: attribute.nameSpan.start, end: Math.min(attribute.valueSpan.end + 1, element.startTagSpan.end) };
      return [
        ...(name ? [fix(context, `Replace '${data.name}' with '${name}'`, [{ span, newText: name }], true)] : []),
        ...(whole ? [fix(context, `Remove attribute '${data.name}'`, [{ span: attributeRemoval(text, whole), newText: "" }], !name)] : []),
      ];
    }
    if (data.kind === "unknownElement") {
      const name = closest(data.name, data.suggestions as string[]);
      const remove = fix(context, `Remove <${data.name}> element`, [{ span: elementRemoval(text, element.span), newText: "" }], !name);
      if (!name) return [remove];
      const edits = [{ span: element.nameSpan, newText: name }];
      const endTag = `</${element.name}`;
      const endTagAt = text.lastIndexOf(endTag, element.span.end);
      if (element.span.end !== element.startTagSpan.end && endTagAt > element.startTagSpan.end) {
        edits.push({ span: { start: endTagAt + 2, end: endTagAt + endTag.length }, newText: name });
      }
      return [fix(context, `Replace <${data.name}> with <${name}>`, edits, true), remove];
    }
    return [];
  },
};
