import type { Span } from "../../../engine/src/config/textPositions";

/** An element open at the cursor, with the names of the children it had before the cursor. */
export interface OpenElement {
  name: string;
  childrenBefore: string[];
}

/** Where the cursor is, as far as completion cares. `parents` runs from the root to the innermost open element. */
export type CursorContext =
  | { kind: "content"; parents: OpenElement[]; replace: Span }
  | { kind: "elementName"; parents: OpenElement[]; replace: Span }
  | { kind: "attributeName"; parents: OpenElement[]; element: string; present: string[]; replace: Span }
  | { kind: "attributeValue"; parents: OpenElement[]; element: string; attribute: string; present: string[]; valueSpan: Span }
  | { kind: "none" };

// Markup before the cursor, one token at a time. Comments, CDATA, processing instructions and
// doctypes are skipped whole; an unterminated one swallows the rest (the cursor is inside it).
const TOKEN = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<\?[\s\S]*?(?:\?>|$)|<![^>]*(?:>|$)|<\/([^\s<>]*)\s*(>)?|<([^\s<>/!?]+)((?:[^<>"']|"[^"<]*"?|'[^'<]*'?)*?)(\/?>|$|(?=<))/g;

const NAME_CHAR = /[^\s<>"'=/]/;
const VALUE_AT_END = /([^\s=<>"'/]+)\s*=\s*(["'])([^"']*)$/;
const ATTRIBUTE_NAME_AT_END = /\s([^\s=<>"'/]*)$/;
const ATTRIBUTE_NAMES = /([^\s=<>"'/]+)\s*=/g;

/**
 * Reads the cursor's context from the text itself, not from the parse tree, so that it works in
 * the half-typed documents completion is asked about (`<item id="` with nothing after it).
 */
export function cursorContext(text: string, offset: number): CursorContext {
  const parents: OpenElement[] = [];
  const prefix = text.slice(0, offset);
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(prefix); m; m = TOKEN.exec(prefix)) {
    const reachesCursor = m.index + m[0].length === offset;
    if (m[3] !== undefined) {
      const closed = m[5] === "/>" || m[5] === ">";
      if (!closed && reachesCursor) return insideStartTag(text, m.index, offset, m[3], parents);
      parents[parents.length - 1]?.childrenBefore.push(m[3]);
      if (m[5] === ">") parents.push({ name: m[3], childrenBefore: [] });
    } else if (m[1] !== undefined) {
      if (m[2] === undefined && reachesCursor) return { kind: "none" };
      const open = parents.map((p) => p.name).lastIndexOf(m[1]);
      if (open >= 0) parents.length = open;
    } else if (reachesCursor && !/(-->|\]\]>|\?>|>)$/.test(m[0])) {
      return { kind: "none" };
    }
  }
  if (prefix.endsWith("<")) return { kind: "elementName", parents, replace: { start: offset, end: nameEnd(text, offset) } };
  return { kind: "content", parents, replace: { start: offset, end: offset } };
}

function insideStartTag(text: string, tagStart: number, offset: number, typedName: string, parents: OpenElement[]): CursorContext {
  const typed = text.slice(tagStart, offset);
  if (typed === `<${typedName}`) {
    return { kind: "elementName", parents, replace: { start: tagStart + 1, end: nameEnd(text, offset) } };
  }
  const present = attributeNames(text, tagStart);
  const value = VALUE_AT_END.exec(typed);
  if (value) {
    const start = offset - value[3].length;
    const close = text.indexOf(value[2], offset);
    const stop = firstOf(text, offset, ["<", ">", "\n"]);
    const end = close >= 0 && close <= stop ? close : offset;
    return { kind: "attributeValue", parents, element: typedName, attribute: value[1], present, valueSpan: { start, end } };
  }
  const name = ATTRIBUTE_NAME_AT_END.exec(typed);
  if (name) {
    return { kind: "attributeName", parents, element: typedName, present, replace: { start: offset - name[1].length, end: nameEnd(text, offset) } };
  }
  return { kind: "none" };
}

function nameEnd(text: string, offset: number): number {
  let end = offset;
  while (end < text.length && NAME_CHAR.test(text[end])) end++;
  return end;
}

/** Attribute names in the start tag at tagStart, including those after the cursor. */
function attributeNames(text: string, tagStart: number): string[] {
  const tag = text.slice(tagStart, firstOf(text, tagStart + 1, ["<", ">"]));
  const withoutValues = tag.replace(/"[^"]*"|'[^']*'/g, '""');
  return [...withoutValues.matchAll(ATTRIBUTE_NAMES)].map((m) => m[1]);
}

function firstOf(text: string, from: number, needles: string[]): number {
  let first = text.length;
  for (const needle of needles) {
    const at = text.indexOf(needle, from);
    if (at >= 0 && at < first) first = at;
  }
  return first;
}
