import { ELEMENTS, ROOT_ELEMENT, elementSpec } from "../format";
import { walk } from "../xmlTree";
import { shown, type Finding, type Rule } from "./rule";

/** Unknown elements and attributes, missing required ones, and too many of a child. */
export const RM002: Rule = {
  code: "RM002",
  severity: "error",
  summary: "Only the format's elements and attributes, each where it belongs, with every required one present and no text where none belongs.",
  check(doc) {
    const findings: Finding[] = [];
    const root = doc.tree.root;
    if (!root) return findings;
    if (root.name !== ROOT_ELEMENT) {
      findings.push({ span: root.nameSpan, message: `the root element must be <${ROOT_ELEMENT}> (got <${shown(root.name)}>)` });
      return findings;
    }
    for (const element of walk(root)) {
      const spec = elementSpec(element.name);
      const parentSpec = element.parent && elementSpec(element.parent.name);
      if (element.parent && (!parentSpec || !parentSpec.children.some((c) => c.name === element.name))) {
        if (parentSpec) {
          const allowed = parentSpec.children.map((c) => `<${c.name}>`).join(", ") || "no child elements";
          const where = spec ? "is not allowed" : "is not a known element";
          findings.push({
            span: element.nameSpan,
            message: `<${shown(element.name)}> ${where} in <${element.parent.name}>; allowed: ${allowed}`,
            data: { kind: "unknownElement", name: element.name, suggestions: parentSpec.children.map((c) => c.name) },
          });
        }
        continue;
      }
      if (!spec) continue;
      // A half-typed element has not said all it will: only what is already wrong is reported.
      const complete = element.complete;
      for (const attr of element.attributes) {
        if (attr.name.startsWith("xmlns") || attr.name.startsWith("xsi:")) continue;
        if (!spec.attributes.some((a) => a.name === attr.name)) {
          const known = spec.attributes.map((a) => a.name);
          findings.push({
            span: attr.nameSpan,
            message: `<${element.name}> has no attribute '${shown(attr.name)}'; known: ${known.join(", ") || "none"}`,
            data: { kind: "unknownAttribute", name: attr.name, suggestions: known },
          });
        }
      }
      if (!spec.text && element.textSpan) {
        findings.push({
          span: element.textSpan,
          message: `<${element.name}> takes no text, only attributes${spec.children.length ? " and child elements" : ""} (got '${shown(element.text)}')`,
          data: { kind: "unexpectedText" },
        });
      }
      for (const required of complete ? spec.attributes.filter((a) => a.required) : []) {
        if (!element.attributes.some((a) => a.name === required.name)) {
          findings.push({
            span: element.nameSpan,
            message: `<${element.name}> needs the attribute '${required.name}': ${required.doc}`,
            data: { kind: "missingAttribute", name: required.name },
          });
        }
      }
      for (const child of spec.children) {
        const present = element.children.filter((c) => c.name === child.name);
        if (complete && present.length < child.min) {
          findings.push({
            span: element.nameSpan,
            message: `<${element.name}> needs a <${child.name}> element: ${ELEMENTS[child.name].doc}`,
            data: { kind: "missingElement", name: child.name },
          });
        }
        for (const extra of present.slice(child.max)) {
          findings.push({ span: extra.nameSpan, message: `<${element.name}> may have at most ${child.max} <${child.name}> element${child.max === 1 ? "" : "s"}` });
        }
      }
    }
    return findings;
  },
};
