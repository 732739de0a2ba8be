import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange } from "vscode-languageserver/node";
import type { ConfigAnalysis } from "../../engine/src/config/validate";
import { attribute, type XmlElement } from "../../engine/src/config/xmlTree";

const KIND: Record<string, SymbolKind> = {
  redundancyMaster: SymbolKind.File,
  server: SymbolKind.Class,
  primary: SymbolKind.Interface,
  secondary: SymbolKind.Interface,
  monitoring: SymbolKind.Array,
  item: SymbolKind.Variable,
  notifications: SymbolKind.Event,
  event: SymbolKind.Event,
};

/** The outline: pairs (by effective name, with both endpoints), their monitor items (by id), diagnostics and notifications. */
export function documentSymbols(analysis: ConfigAnalysis): DocumentSymbol[] {
  const root = analysis.tree.root;
  return root ? [symbolOf(root, analysis)] : [];
}

function symbolOf(element: XmlElement, analysis: ConfigAnalysis): DocumentSymbol {
  const { name, detail } = describe(element);
  return {
    name,
    ...(detail ? { detail } : {}),
    kind: KIND[element.name] ?? SymbolKind.Property,
    range: analysis.lines.rangeOf(element.span),
    selectionRange: analysis.lines.rangeOf(element.nameSpan),
    children: element.children.map((c) => symbolOf(c, analysis)),
  };
}

function describe(element: XmlElement): { name: string; detail?: string } {
  const value = (name: string) => attribute(element, name)?.value;
  switch (element.name) {
    case "server": {
      const sides = element.children.filter((c) => c.name === "primary" || c.name === "secondary").map((c) => attribute(c, "url")?.value ?? "?");
      return { name: value("alias") || value("name") || "server", detail: [`port ${value("port") ?? "?"}`, sides.join(" ⇄ ")].filter(Boolean).join(" · ") };
    }
    case "primary":
    case "secondary":
      return { name: element.name, detail: value("url") };
    case "item":
      return { name: value("id") || "item", detail: value("trigger") };
    case "smtp":
      return { name: `smtp ${value("role") ?? ""}`.trim(), detail: value("host") };
    case "event":
      return { name: value("id") || "event" };
    case "to":
      return { name: element.text || "to" };
    default:
      return { name: element.name };
  }
}

/** Every element that spans lines folds from its start tag to the line before its end tag; so do multi-line comments. */
export function foldingRanges(analysis: ConfigAnalysis): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const pending = analysis.tree.root ? [analysis.tree.root] : [];
  while (pending.length) {
    const element = pending.pop()!;
    const start = analysis.lines.positionAt(element.span.start).line;
    const end = analysis.lines.positionAt(element.span.end).line;
    const selfClosing = element.startTagSpan.end === element.span.end;
    const last = selfClosing ? end : end - 1;
    if (last > start) ranges.push({ startLine: start, endLine: last });
    pending.push(...element.children);
  }
  for (const m of analysis.text.matchAll(/<!--[\s\S]*?-->/g)) {
    const start = analysis.lines.positionAt(m.index).line;
    const end = analysis.lines.positionAt(m.index + m[0].length).line;
    if (end > start) ranges.push({ startLine: start, endLine: end, kind: FoldingRangeKind.Comment });
  }
  return ranges.sort((a, b) => a.startLine - b.startLine);
}
