import { SaxesParser } from "saxes";
import type { Span } from "./textPositions";

export interface XmlAttribute {
  name: string;
  value: string;
  /** The attribute name. */
  nameSpan: Span;
  /** The value between the quotes (empty span for `a=""`). */
  valueSpan: Span;
}

export interface XmlElement {
  name: string;
  attributes: XmlAttribute[];
  children: XmlElement[];
  parent: XmlElement | undefined;
  /** Character data directly inside the element, trimmed. */
  text: string;
  /** From `<` of the start tag to `>` of the end tag (or of the start tag when self-closing). */
  span: Span;
  /** The element name in the start tag. */
  nameSpan: Span;
  /** The start tag, `<` to `>`. */
  startTagSpan: Span;
  /** Span of the trimmed text content, when there is some. */
  textSpan?: Span;
  /** False while the element's start tag or end tag is missing or broken (a half-typed document). */
  complete: boolean;
}

export interface XmlSyntaxError {
  message: string;
  span: Span;
}

export interface XmlTree {
  root: XmlElement | undefined;
  errors: XmlSyntaxError[];
}

/** Elements nested deeper than this are reported and their subtrees dropped, so hostile input cannot exhaust the stack of later tree walks. */
export const MAX_DEPTH = 64;

// Attribute syntax inside a start tag; the tag's raw text is rescanned because saxes reports
// only where an attribute ends, and a decoded value can differ in length from its source.
const ATTRIBUTE = /([^\s=<>"'/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/**
 * Parses XML into a tree that keeps the offset of every element, attribute name and value.
 * Tolerant: a syntax error is recorded with its position and parsing goes on, so the
 * elements before (and usually after) the error stay available to the rules and the editor.
 * DTDs are not processed: entities are never expanded (no entity-expansion attacks).
 */
export function parseXml(text: string): XmlTree {
  const parser = new SaxesParser({ position: true });
  const errors: XmlSyntaxError[] = [];
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let tagStart = 0;
  let skippedDepth = 0;
  const startTagClosed = new WeakSet<XmlElement>();

  const errorAt = (message: string, offset: number) => {
    const start = Math.max(0, Math.min(offset, text.length));
    errors.push({ message, span: { start, end: Math.min(start + 1, text.length) } });
  };

  parser.on("opentagstart", (tag) => {
    tagStart = text.lastIndexOf("<", parser.position - 1);
    if (tagStart < 0) tagStart = 0;
    if (skippedDepth > 0 || stack.length >= MAX_DEPTH) {
      if (skippedDepth === 0) errorAt(`elements are nested deeper than ${MAX_DEPTH} levels`, tagStart);
      skippedDepth++;
      return;
    }
    const nameStart = tagStart + 1;
    const element: XmlElement = {
      name: tag.name,
      attributes: [],
      children: [],
      parent: stack[stack.length - 1],
      text: "",
      span: { start: tagStart, end: text.length },
      nameSpan: { start: nameStart, end: nameStart + tag.name.length },
      startTagSpan: { start: tagStart, end: text.length },
      complete: false,
    };
    if (element.parent) element.parent.children.push(element);
    else if (!root) root = element;
    else errorAt("a document may have only one root element", tagStart);
    stack.push(element);
  });

  parser.on("opentag", (tag) => {
    if (skippedDepth > 0) {
      if (tag.isSelfClosing) skippedDepth--;
      return;
    }
    const element = stack[stack.length - 1];
    if (!element) return;
    startTagClosed.add(element);
    const end = parser.position;
    element.startTagSpan = { start: element.span.start, end };
    element.attributes = scanAttributes(text, element.nameSpan.end, end);
    if (tag.isSelfClosing) {
      element.span = { start: element.span.start, end };
      element.complete = true;
      stack.pop();
    }
  });

  parser.on("closetag", (tag) => {
    if (tag.isSelfClosing) return;
    if (skippedDepth > 0) {
      skippedDepth--;
      return;
    }
    const element = stack.pop();
    if (element) {
      element.span = { start: element.span.start, end: parser.position };
      element.complete = startTagClosed.has(element);
    }
  });

  parser.on("text", (value) => addText(value));
  parser.on("cdata", (value) => addText(value));
  function addText(value: string) {
    const element = stack[stack.length - 1];
    const trimmed = value.trim();
    if (!element || skippedDepth > 0 || trimmed === "") return;
    const rawEnd = parser.position;
    const rawStart = text.lastIndexOf(trimmed, rawEnd);
    element.text = element.text ? `${element.text} ${trimmed}` : trimmed;
    if (rawStart >= 0 && !element.textSpan) element.textSpan = { start: rawStart, end: rawStart + trimmed.length };
  }

  // saxes reports every consequence of one mistake; keep the first error of each tag, and
  // point "unclosed tag" at the element left open rather than at the end of the file.
  let lastErrorTag = -1;
  parser.on("error", (err) => {
    const message = err.message.replace(/^\d+:\d+: /, "");
    const unclosed = /^unclosed tag: (.+)$/.exec(message);
    if (unclosed) {
      const open = [...stack].reverse().find((e) => e.name === unclosed[1]);
      if (open) {
        errors.push({ message: `<${open.name}> is not closed`, span: open.nameSpan });
        return;
      }
    }
    const current = stack[stack.length - 1];
    if (tagStart === lastErrorTag && current && !startTagClosed.has(current)) return;
    lastErrorTag = tagStart;
    errorAt(message, parser.position - 1);
  });

  try {
    parser.write(text).close();
  } catch (err) {
    errorAt(err instanceof Error ? err.message : String(err), text.length);
  }
  if (!root && errors.length === 0) errorAt("the document has no root element", 0);
  return { root, errors };
}

function scanAttributes(text: string, from: number, to: number): XmlAttribute[] {
  const attributes: XmlAttribute[] = [];
  const raw = text.slice(from, to);
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(raw); m; m = ATTRIBUTE.exec(raw)) {
    const nameStart = from + m.index;
    const rawValue = m[2] ?? m[3] ?? "";
    const valueStart = from + m.index + m[0].length - 1 - rawValue.length;
    attributes.push({
      name: m[1],
      value: decodeEntities(rawValue),
      nameSpan: { start: nameStart, end: nameStart + m[1].length },
      valueSpan: { start: valueStart, end: valueStart + rawValue.length },
    });
  }
  return attributes;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(raw: string): string {
  if (!raw.includes("&")) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref] ?? whole;
  });
}

export function attribute(element: XmlElement, name: string): XmlAttribute | undefined {
  return element.attributes.find((a) => a.name === name);
}

export function childElements(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** Depth-first walk of every element under (and including) `element`. */
export function* walk(element: XmlElement | undefined): Generator<XmlElement> {
  if (!element) return;
  const pending = [element];
  while (pending.length) {
    const next = pending.pop()!;
    yield next;
    for (let i = next.children.length - 1; i >= 0; i--) pending.push(next.children[i]);
  }
}
