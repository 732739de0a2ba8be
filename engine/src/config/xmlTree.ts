import { SaxesParser } from "saxes";
import type { Span } from "./textPositions";
import { errorMessage } from "../errorMessage";

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

/**
 * Syntax errors reported before the parser gives up on a document: past this it is garbage (or
 * binary), and saxes spends microseconds on every further error, so reading on would only make a
 * megabyte of noise cost seconds.
 */
export const MAX_SYNTAX_ERRORS = 100;

// Fed to saxes in slices so that reading stops soon after MAX_SYNTAX_ERRORS.
const CHUNK = 16 * 1024;

// Attribute syntax inside a start tag; the tag's raw text is rescanned because saxes reports
// only where an attribute ends, and a decoded value can differ in length from its source.
// The lookbehind lets a name start only at a boundary: without it a long run of name characters
// with no `=` is retried from every one of its characters (quadratic time).
const ATTRIBUTE = /(?<![^\s=<>"'/])([^\s=<>"'/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

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
  // Where the last markup (tag, comment, declaration) ended: raw text starts here.
  let markupEnd = 0;
  let gaveUp = false;
  const startTagClosed = new WeakSet<XmlElement>();
  // Elements with a syntax error in their start tag: what they lack may only be unread.
  const brokenStartTag = new WeakSet<XmlElement>();
  // The element saxes closed last: on a mismatched end tag it closes open elements up to the match.
  let lastClosed: XmlElement | undefined;
  // Offset of an end tag that matches no open element: saxes's errors about it are replaced by one of ours.
  let strayEndTag = -1;

  const spanAt = (offset: number, length = 1): Span => {
    const start = Math.max(0, Math.min(offset, text.length));
    return { start, end: Math.min(start + length, text.length) };
  };
  const giveUp = (offset: number) => {
    if (gaveUp) return;
    gaveUp = true;
    errors.push({ message: `more than ${MAX_SYNTAX_ERRORS} syntax errors; the rest of the file was not read`, span: spanAt(offset) });
  };
  const errorAt = (message: string, offset: number, length = 1) => {
    if (gaveUp) return;
    if (errors.length >= MAX_SYNTAX_ERRORS) giveUp(offset);
    else errors.push({ message, span: spanAt(offset, length) });
  };

  // saxes reports most markup with its position just past the closing `>`, a comment just before it.
  const afterMarkup = () => {
    const at = parser.position;
    markupEnd = text.charCodeAt(at - 1) === GT ? at : text.charCodeAt(at) === GT ? at + 1 : at;
  };

  parser.on("opentagstart", (tag) => {
    // saxes may have read past the name (`<redundancyMa</st`): find the `<` that starts this name.
    tagStart = text.lastIndexOf(`<${tag.name}`, parser.position - 1);
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
    afterMarkup();
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
      element.complete = !brokenStartTag.has(element);
      stack.pop();
    }
  });

  parser.on("closetag", (tag) => {
    afterMarkup();
    if (tag.isSelfClosing) return;
    if (skippedDepth > 0) {
      skippedDepth--;
      return;
    }
    const endTag = endTagBefore(text, parser.position);
    if (endTag.name !== tag.name && endTag.start !== strayEndTag && !stack.some((e) => e.name === endTag.name)) {
      strayEndTag = endTag.start;
      errorAt(`</${endTag.name}> closes no open element`, endTag.start + 2, endTag.name.length);
    }
    const element = stack.pop();
    if (element) {
      element.span = { start: element.span.start, end: parser.position };
      element.complete = startTagClosed.has(element) && !brokenStartTag.has(element);
      lastClosed = element;
    }
  });

  parser.on("comment", afterMarkup);
  parser.on("processinginstruction", afterMarkup);
  parser.on("xmldecl", afterMarkup);
  parser.on("doctype", () => {
    errorAt("DOCTYPE declarations are not supported: the format needs no DTD, and its entities are never expanded", text.lastIndexOf("<!DOCTYPE", parser.position));
    afterMarkup();
  });

  parser.on("text", (value) => {
    // The text ends at the `<` that made saxes report it, or at the end of the input.
    const end = text.charCodeAt(parser.position - 1) === LT ? parser.position - 1 : parser.position;
    addText(value, markupEnd, end);
  });
  parser.on("cdata", (value) => {
    const end = parser.position - "]]>".length;
    addText(value, Math.max(markupEnd, end - value.length), end);
    markupEnd = parser.position;
  });

  /** Adds decoded text to the open element; the span is that of the raw text, trimmed, entity references included. */
  function addText(value: string, rawStart: number, rawEnd: number) {
    const element = stack[stack.length - 1];
    const trimmed = value.trim();
    if (!element || skippedDepth > 0 || trimmed === "") return;
    element.text = element.text ? `${element.text} ${trimmed}` : trimmed;
    if (element.textSpan) return;
    let start = rawStart;
    let end = Math.max(rawStart, rawEnd);
    while (start < end && isXmlSpace(text.charCodeAt(start))) start++;
    while (end > start && isXmlSpace(text.charCodeAt(end - 1))) end--;
    if (start < end) element.textSpan = { start, end };
  }

  // saxes reports every consequence of one mistake; keep the first error of each tag, and
  // point "unclosed tag" at the element left open rather than at the end of the file.
  let lastErrorTag = -1;
  let reported = 0;
  parser.on("error", (err) => {
    // Errors folded into one per tag still cost saxes their time: count them all towards giving up.
    if (++reported > 10 * MAX_SYNTAX_ERRORS) giveUp(parser.position - 1);
    const message = err.message.replace(/^\d+:\d+: /, "");
    const unclosed = /^unclosed tag: (.+)$/.exec(message);
    if (unclosed) {
      const open = [...stack].reverse().find((e) => e.name === unclosed[1]);
      if (open) {
        if (gaveUp) return;
        if (errors.length >= MAX_SYNTAX_ERRORS) giveUp(open.nameSpan.start);
        else errors.push({ message: `<${open.name}> is not closed`, span: open.nameSpan });
        return;
      }
    }
    const current = stack[stack.length - 1];
    if (current && !startTagClosed.has(current)) brokenStartTag.add(current);
    if (tagStart === lastErrorTag && current && !startTagClosed.has(current)) return;
    lastErrorTag = tagStart;
    const closing = message === "unexpected close tag." || message.startsWith("unmatched closing tag");
    if (closing && endTagBefore(text, parser.position).start === strayEndTag) return;
    // Without a root, saxes says so and then again that the input ended: once is enough.
    if (!root && message === "unexpected end.") return;
    const unmatched = /^unmatched closing tag: (.+)\.$/.exec(message);
    if (unmatched) {
      const { name, start } = endTagBefore(text, parser.position);
      errorAt(`</${unmatched[1]}> closes no open element`, start + 2, name.length);
      return;
    }
    if (message === "unexpected close tag." && lastClosed) {
      const { name } = endTagBefore(text, parser.position);
      errorAt(`<${lastClosed.name}> is not closed before </${name}>`, lastClosed.nameSpan.start, lastClosed.nameSpan.end - lastClosed.nameSpan.start);
      return;
    }
    if (message.startsWith("undefined entity")) {
      const amp = Math.max(0, text.lastIndexOf("&", parser.position - 1));
      const reference = text.slice(amp, parser.position);
      errorAt(`undefined entity ${reference}: only &lt; &gt; &amp; &quot; &apos; and character references such as &#38; are allowed`, amp, reference.length);
      return;
    }
    errorAt(message, parser.position - 1);
  });

  try {
    for (let at = 0; at < text.length && !gaveUp; at += CHUNK) parser.write(text.slice(at, at + CHUNK));
    if (!gaveUp) parser.close();
  } catch (err) {
    errorAt(errorMessage(err), text.length);
  }
  if (!root && errors.length === 0) errorAt("the document has no root element", 0);
  return { root, errors };
}

/** The end tag that ends just before `offset` (saxes's position after it). */
function endTagBefore(text: string, offset: number): { name: string; start: number } {
  const start = text.lastIndexOf("</", offset - 1);
  const m = /^<\/([^\s>]*)/.exec(text.slice(start, offset));
  return { name: m?.[1] ?? "", start };
}

const LT = 0x3c;
const GT = 0x3e;

function isXmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
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

/** An attribute's value as XML defines it: each literal line break or tab becomes a space (XML 1.0 §3.3.3), then references are replaced. */
function decodeEntities(raw: string): string {
  const normalized = /[\t\n\r]/.test(raw) ? raw.replace(/\r\n|[\t\n\r]/g, " ") : raw;
  if (!normalized.includes("&")) return normalized;
  return normalized.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
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
