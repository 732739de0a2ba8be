import { elementAt } from "../elementAt";
import { closest } from "./editDistance";
import { fix, type QuickFix } from "./quickFix";

/** RM002: an unknown attribute or element renamed to the closest name the format allows there. */
export const RM002: QuickFix = {
  code: "RM002",
  fixes(context) {
    const data = context.finding.data;
    if (!data || typeof data.name !== "string" || !Array.isArray(data.suggestions)) return [];
    const { span } = context.finding;
    const element = elementAt(context.analysis.tree.root, span.start);
    if (!element) return [];
    if (data.kind === "unknownAttribute") {
      const present = element.attributes.map((a) => a.name);
      const name = closest(data.name, (data.suggestions as string[]).filter((s) => !present.includes(s)));
      return name ? [fix(context, `Replace '${data.name}' with '${name}'`, [{ span, newText: name }], true)] : [];
    }
    if (data.kind === "unknownElement") {
      const name = closest(data.name, data.suggestions as string[]);
      if (!name) return [];
      const edits = [{ span: element.nameSpan, newText: name }];
      const endTag = `</${element.name}`;
      const endTagAt = context.analysis.text.lastIndexOf(endTag, element.span.end);
      if (element.span.end !== element.startTagSpan.end && endTagAt > element.startTagSpan.end) {
        edits.push({ span: { start: endTagAt + 2, end: endTagAt + endTag.length }, newText: name });
      }
      return [fix(context, `Replace <${data.name}> with <${name}>`, edits, true)];
    }
    return [];
  },
};
