import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Range } from "vscode-languageserver/node";
import { ROOT_ELEMENT, attributeSpec, elementSpec } from "../../../engine/src/config/format";
import type { Span } from "../../../engine/src/config/textPositions";
import { attributeMarkdown, elementMarkdown, valueDoc } from "../formatDocs";
import type { CursorContext, OpenElement } from "./cursorContext";
import { ITEM_SNIPPET, SERVER_PAIR_SNIPPET, attributeSnippet, elementSnippet } from "./snippets";

export type RangeOf = (span: Span) => Range;

/** Completion from the format description: element names, attribute names and enum values valid at the cursor. */
export function schemaCompletions(context: CursorContext, rangeOf: RangeOf): CompletionItem[] {
  switch (context.kind) {
    case "content":
      return elementCompletions(context.parents, rangeOf(context.replace), "<");
    case "elementName":
      return elementCompletions(context.parents, rangeOf(context.replace), "");
    case "attributeName":
      return attributeNameCompletions(context.element, context.present, rangeOf(context.replace));
    case "attributeValue":
      return valueCompletions(context.element, context.attribute, rangeOf(context.valueSpan));
    default:
      return [];
  }
}

function elementCompletions(parents: OpenElement[], range: Range, lead: "<" | ""): CompletionItem[] {
  const parent = parents[parents.length - 1];
  const allowed = parent ? (elementSpec(parent.name)?.children ?? []) : [{ name: ROOT_ELEMENT, min: 1, max: 1 }];
  const items: CompletionItem[] = allowed
    .filter((child) => (parent?.childrenBefore.filter((n) => n === child.name).length ?? 0) < child.max)
    .map((child, i) => snippetItem(child.name, elementSnippet(child.name), range, lead, `${i}`, CompletionItemKind.Class));
  if (parent?.name === ROOT_ELEMENT) {
    items.push({ ...snippetItem("server pair", SERVER_PAIR_SNIPPET, range, lead, "0a", CompletionItemKind.Snippet), detail: "a redundant pair: primary, secondary, connection, monitor item" });
  }
  if (parent?.name === "monitoring") {
    items.push({ ...snippetItem("item (monitor item)", ITEM_SNIPPET, range, lead, "0a", CompletionItemKind.Snippet), detail: "a monitor item with its trigger" });
  }
  return items;
}

function snippetItem(label: string, snippet: string, range: Range, lead: "<" | "", sortText: string, kind: CompletionItemKind): CompletionItem {
  const name = label.split(" ")[0];
  const doc = elementMarkdown(name);
  return {
    label,
    kind,
    sortText,
    filterText: `${lead}${name}`,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: lead ? snippet : snippet.slice(1) },
    ...(doc ? { documentation: { kind: MarkupKind.Markdown, value: doc } } : {}),
  };
}

function attributeNameCompletions(element: string, present: string[], range: Range): CompletionItem[] {
  const spec = elementSpec(element);
  if (!spec) return [];
  return spec.attributes
    .filter((a) => !present.includes(a.name))
    .map((a) => ({
      label: a.name,
      kind: CompletionItemKind.Property,
      sortText: `${a.required ? 0 : 1}${a.name}`,
      detail: a.required ? "required" : a.default !== undefined ? `default ${a.default}` : undefined,
      documentation: { kind: MarkupKind.Markdown, value: attributeMarkdown(element, a.name) ?? a.doc },
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: attributeSnippet(a, 1) },
    }));
}

function valueCompletions(element: string, attribute: string, range: Range): CompletionItem[] {
  const spec = attributeSpec(element, attribute);
  const values = spec?.type.kind === "enum" ? spec.type.values : spec?.type.kind === "boolean" ? ["true", "false"] : [];
  return values.map((value, i) => {
    const doc = valueDoc(element, attribute, value);
    return {
      label: value,
      kind: CompletionItemKind.EnumMember,
      sortText: String(i).padStart(3, "0"),
      detail: value === spec?.default ? "default" : undefined,
      ...(doc ? { documentation: doc } : {}),
      textEdit: { range, newText: value },
    };
  });
}
