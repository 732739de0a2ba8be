import type { Span } from "./textPositions";

/**
 * What to delete to remove an element spanning `span` of `text`: its whole lines when nothing
 * else stands on them (so no blank line is left behind), else just the element and the blanks
 * before it. Used by the RM002 quick fix and the extension's Remove Redundant Server Configuration.
 */
export function elementRemoval(text: string, span: Span): Span {
  let lineStart = span.start;
  while (lineStart > 0 && (text[lineStart - 1] === " " || text[lineStart - 1] === "\t")) lineStart--;
  let lineEnd = span.end;
  while (lineEnd < text.length && (text[lineEnd] === " " || text[lineEnd] === "\t")) lineEnd++;
  const startsLine = lineStart === 0 || text[lineStart - 1] === "\n" || text[lineStart - 1] === "\r";
  const endsLine = lineEnd === text.length || text[lineEnd] === "\n" || text[lineEnd] === "\r";
  if (startsLine && endsLine) {
    const newline = text.startsWith("\r\n", lineEnd) ? 2 : lineEnd < text.length ? 1 : 0;
    return { start: lineStart, end: lineEnd + newline };
  }
  let start = span.start;
  while (start > 0 && /\s/.test(text[start - 1])) start--;
  return { start, end: span.end };
}
