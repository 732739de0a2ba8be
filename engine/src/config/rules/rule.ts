import { LineIndex, type Span } from "../textPositions";
import { attribute, childElements, type XmlAttribute, type XmlElement, type XmlTree } from "../xmlTree";

export type RuleSeverity = "error" | "warning";

/** What a rule found: where, what, and data a quick fix needs (e.g. the value to set). */
export interface Finding {
  span: Span;
  message: string;
  data?: Record<string, unknown>;
}

/** The parsed document every rule reads. */
export interface ConfigDocument {
  text: string;
  tree: XmlTree;
}

/**
 * One validation rule. Rules are data (code, severity, summary) plus one small check; the
 * language server and `redundancymaster validate` run the same list (rules/index.ts).
 */
export interface Rule {
  code: string;
  severity: RuleSeverity;
  /** One line for docs and hovers: what the rule requires. */
  summary: string;
  check(doc: ConfigDocument): Finding[];
}

export function servers(doc: ConfigDocument): XmlElement[] {
  return doc.tree.root ? childElements(doc.tree.root, "server") : [];
}

export function firstChild(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

export function monitorItems(server: XmlElement): XmlElement[] {
  return childElements(server, "monitoring").flatMap((m) => childElements(m, "item"));
}

/** The span to underline for an attribute's value: the value, or the whole attribute when the value is empty. */
export function valueSpan(attr: XmlAttribute): Span {
  return attr.valueSpan.start < attr.valueSpan.end ? attr.valueSpan : wholeAttributeSpan(attr);
}

/** From the attribute's name to its closing quote: what a quick fix removes. */
export function wholeAttributeSpan(attr: XmlAttribute): Span {
  return { start: attr.nameSpan.start, end: attr.valueSpan.end + 1 };
}

/** An integer attribute's value, or undefined when absent or not an integer (RM003 reports that). */
export function intValue(element: XmlElement | undefined, name: string): number | undefined {
  const attr = element && attribute(element, name);
  return attr && INTEGER.test(attr.value.trim()) ? Number(attr.value.trim()) : undefined;
}

export const INTEGER = /^[+-]?\d+$/;

const lineIndexes = new WeakMap<ConfigDocument, LineIndex>();

/** Line (1-based) of an offset, for messages that point at another place in the file. */
export function lineOf(doc: ConfigDocument, offset: number): number {
  let lines = lineIndexes.get(doc);
  if (!lines) lineIndexes.set(doc, (lines = new LineIndex(doc.text)));
  return lines.positionAt(offset).line + 1;
}

const QUOTED_MAX = 60;

/**
 * A value as messages quote it: cut short, so that a megabyte attribute cannot make a megabyte
 * message, and with control characters escaped, so that a message stays one line (`validate`'s output).
 */
export function shown(value: string): string {
  const cut = value.length > QUOTED_MAX ? `${value.slice(0, QUOTED_MAX)}…` : value;
  return cut.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === "\n" ? "\\n" : c === "\t" ? "\\t" : c === "\r" ? "\\r" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}
