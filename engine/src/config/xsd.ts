import { ELEMENTS, FORMAT_VERSION, ROOT_ELEMENT, type AttributeSpec, type ElementSpec, type ValueType } from "./format";
import { EMAIL_PATTERN, IP_ADDRESS_PATTERN, NODE_ID_PATTERN, OPC_URL_PATTERN } from "./patterns";

/**
 * The text of schemas/redundancymaster.xsd, generated from format.ts. The XSD serves editors and
 * tools that know XML Schema; the rules stay the authority. Where XSD 1.0 cannot say what a rule
 * says (the per-child counts of an element that also has an unbounded child, a noDataChange
 * period, the numeric limits of a NodeId) the XSD is the more lenient, so that it never rejects a
 * file that `redundancymaster validate` accepts.
 */
export function generateXsd(): string {
  const out = new XmlWriter();
  out.line('<?xml version="1.0" encoding="UTF-8"?>');
  out.line(`<!-- Generated from engine/src/config/format.ts by \`npm run xsd\`: edit that file, not this one. Format version ${FORMAT_VERSION}. -->`);
  out.open("xs:schema", { "xmlns:xs": "http://www.w3.org/2001/XMLSchema", elementFormDefault: "unqualified" });
  element(out, ELEMENTS[ROOT_ELEMENT], {});
  for (const spec of Object.values(ELEMENTS)) {
    complexType(out, spec);
    // The parser trims an element's text, so its type collapses whitespace (xs:token) before the facets.
    if (spec.text) simpleType(out, spec.text.type, { name: textTypeName(spec) }, "xs:token");
  }
  out.close("xs:schema");
  return out.text();
}

function typeName(spec: ElementSpec): string {
  return `${spec.name}Type`;
}

function textTypeName(spec: ElementSpec): string {
  return `${spec.name}Text`;
}

function element(out: XmlWriter, spec: ElementSpec, occurs: Record<string, string>) {
  out.open("xs:element", { name: spec.name, type: typeName(spec), ...occurs });
  documentation(out, spec.doc);
  out.close("xs:element");
}

function complexType(out: XmlWriter, spec: ElementSpec) {
  out.open("xs:complexType", { name: typeName(spec) });
  if (spec.text) {
    out.open("xs:simpleContent");
    out.open("xs:extension", { base: textTypeName(spec) });
    for (const attr of spec.attributes) attribute(out, attr);
    out.close("xs:extension");
    out.close("xs:simpleContent");
  } else {
    contentModel(out, spec);
    for (const attr of spec.attributes) attribute(out, attr);
  }
  out.close("xs:complexType");
}

/**
 * Children in any order, as the rules allow: xs:all when each child occurs at most once (exact),
 * a single child's sequence (exact), else an unbounded choice whose counts RM002 checks.
 */
function contentModel(out: XmlWriter, spec: ElementSpec) {
  const children = spec.children.map((c) => ({ ...c, spec: ELEMENTS[c.name] }));
  if (children.length === 0) return;
  const occurs = (min: number, max: number) => ({ minOccurs: String(min), maxOccurs: max === Infinity ? "unbounded" : String(max) });
  const group = children.length === 1 ? "xs:sequence" : children.every((c) => c.max <= 1) ? "xs:all" : "xs:choice";
  if (group === "xs:choice") {
    out.open(group, { minOccurs: "0", maxOccurs: "unbounded" });
    const counts = children.map((c) => `<${c.name}> ${c.max === Infinity ? `${c.min} or more` : `${c.min} … ${c.max}`}`);
    documentation(out, `In any order: ${counts.join(", ")} (the counts are checked by RM002).`);
    for (const c of children) element(out, c.spec, {});
  } else {
    out.open(group);
    for (const c of children) element(out, c.spec, occurs(c.min, c.max));
  }
  out.close(group);
}

function attribute(out: XmlWriter, attr: AttributeSpec) {
  const use: Record<string, string> = attr.required ? { use: "required" } : attr.default !== undefined ? { default: attr.default } : {};
  out.open("xs:attribute", { name: attr.name, ...use });
  documentation(out, attr.doc);
  simpleType(out, attr.type);
  out.close("xs:attribute");
}

/** The XSD simple type of a value type, following typeProblem in RM003 and the rules that own a kind. */
function simpleType(out: XmlWriter, type: ValueType, attrs: Record<string, string> = {}, base = "xs:string") {
  out.open("xs:simpleType", attrs);
  switch (type.kind) {
    case "string":
      restriction(out, base, type.nonEmpty ? [["xs:pattern", "[\\s\\S]*\\S[\\s\\S]*"]] : []);
      break;
    case "boolean":
      restriction(out, base, [
        ["xs:enumeration", "true"],
        ["xs:enumeration", "false"],
      ]);
      break;
    case "integer":
      restriction(out, "xs:integer", [
        ["xs:minInclusive", String(type.min)],
        ["xs:maxInclusive", String(type.max)],
      ]);
      break;
    case "enum":
      out.open("xs:restriction", { base });
      for (const value of type.values) {
        const doc = type.docs?.[value];
        if (!doc) {
          out.empty("xs:enumeration", { value });
          continue;
        }
        out.open("xs:enumeration", { value });
        documentation(out, doc);
        out.close("xs:enumeration");
      }
      out.close("xs:restriction");
      break;
    case "email":
      restriction(out, base, [["xs:pattern", EMAIL_PATTERN]]);
      break;
    case "nodeId":
      restriction(out, base, [["xs:pattern", NODE_ID_PATTERN]]);
      break;
    case "opcUrl":
      restriction(out, base, [["xs:pattern", OPC_URL_PATTERN]]);
      break;
    case "ipAddress":
      restriction(out, base, [["xs:pattern", IP_ADDRESS_PATTERN]]);
      break;
  }
  out.close("xs:simpleType");
}

function restriction(out: XmlWriter, base: string, facets: [string, string][]) {
  if (facets.length === 0) {
    out.empty("xs:restriction", { base });
    return;
  }
  out.open("xs:restriction", { base });
  for (const [facet, value] of facets) out.empty(facet, { value });
  out.close("xs:restriction");
}

function documentation(out: XmlWriter, doc: string) {
  out.open("xs:annotation");
  out.line(`<xs:documentation>${escapeXml(doc)}</xs:documentation>`);
  out.close("xs:annotation");
}

/** Just enough of an indenting XML writer for the schema. */
class XmlWriter {
  private readonly lines: string[] = [];
  private depth = 0;

  line(raw: string) {
    this.lines.push("  ".repeat(this.depth) + raw);
  }

  open(name: string, attrs: Record<string, string> = {}) {
    this.line(`<${name}${attributeText(attrs)}>`);
    this.depth++;
  }

  empty(name: string, attrs: Record<string, string> = {}) {
    this.line(`<${name}${attributeText(attrs)}/>`);
  }

  close(name: string) {
    this.depth--;
    this.line(`</${name}>`);
  }

  text(): string {
    return this.lines.join("\n") + "\n";
  }
}

function attributeText(attrs: Record<string, string>): string {
  return Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join("");
}

function escapeXml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
