import type { FormattingOptions, TextEdit } from "vscode-languageserver/node";
import type { LineIndex } from "../../engine/src/config/textPositions";

type State = "content" | "tag" | "endTag" | "quote" | "comment" | "cdata" | "instruction";

/** Where an open start tag began, for aligning its continuation lines under its first attribute. */
interface OpenTag {
  indent: string;
  lineStart: number;
  firstAttributeColumn?: number;
}

/**
 * Re-indents every line by nesting depth and leaves everything else alone: attribute order,
 * values, text and comments are the user's. A start tag that spans lines keeps its attributes
 * aligned under its first one. Lines that begin inside a value, comment or CDATA are untouched.
 */
export function formatDocument(text: string, lines: LineIndex, options: FormattingOptions): TextEdit[] {
  const unit = options.insertSpaces ? " ".repeat(options.tabSize) : "\t";
  const edits: TextEdit[] = [];
  let state: State = "content";
  let quote = "";
  let depth = 0;
  let tag: OpenTag | undefined;
  let tagSelfClosing = false;
  let lineStart = 0;
  let newIndent = "";

  const reindentLine = (start: number) => {
    let end = start;
    while (end < text.length && (text[end] === " " || text[end] === "\t")) end++;
    const rest = text[end];
    const blank = end >= text.length || rest === "\n" || rest === "\r";
    let wanted: string;
    if (blank) wanted = "";
    else if (state === "tag" && tag) wanted = tag.firstAttributeColumn !== undefined ? " ".repeat(tag.firstAttributeColumn) : tag.indent + unit;
    else wanted = unit.repeat(Math.max(0, text.startsWith("</", end) ? depth - 1 : depth));
    newIndent = wanted;
    if (text.slice(start, end) !== wanted) edits.push({ range: { start: lines.positionAt(start), end: lines.positionAt(end) }, newText: wanted });
  };
  const columnInNewLayout = (offset: number) => newIndent.length + (offset - firstNonBlank(text, lineStart));

  reindentLine(0);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") {
      lineStart = i + 1;
      if (state === "content" || state === "tag" || state === "endTag") reindentLine(lineStart);
      else newIndent = text.slice(lineStart, firstNonBlank(text, lineStart));
      continue;
    }
    switch (state) {
      case "content":
        if (c !== "<") break;
        if (text.startsWith("<!--", i)) state = "comment";
        else if (text.startsWith("<![CDATA[", i)) state = "cdata";
        else if (text[i + 1] === "?" || text[i + 1] === "!") state = "instruction";
        else if (text[i + 1] === "/") state = "endTag";
        else {
          state = "tag";
          tagSelfClosing = false;
          tag = { indent: " ".repeat(columnInNewLayout(i)), lineStart };
          let j = i + 1;
          while (j < text.length && /[^\s/>]/.test(text[j])) j++;
          while (j < text.length && (text[j] === " " || text[j] === "\t")) j++;
          if (j < text.length && /[^\s/>]/.test(text[j])) tag.firstAttributeColumn = columnInNewLayout(j);
        }
        break;
      case "tag":
        if (c === '"' || c === "'") {
          state = "quote";
          quote = c;
        } else if (c === "/" && text[i + 1] === ">") tagSelfClosing = true;
        else if (c === ">") {
          if (!tagSelfClosing) depth++;
          state = "content";
          tag = undefined;
        } else if (c === "<") {
          state = "content";
          tag = undefined;
          i--;
        }
        break;
      case "quote":
        if (c === quote) state = "tag";
        break;
      case "endTag":
        if (c === ">") {
          depth = Math.max(0, depth - 1);
          state = "content";
        }
        break;
      case "comment":
        if (text.startsWith("-->", i)) state = "content";
        break;
      case "cdata":
        if (text.startsWith("]]>", i)) state = "content";
        break;
      case "instruction":
        if (c === ">") state = "content";
        break;
    }
  }
  return edits;
}

function firstNonBlank(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
  return i;
}
