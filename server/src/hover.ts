import { MarkupKind, type Hover } from "vscode-languageserver/node";
import type { Span } from "../../engine/src/config/textPositions";
import type { ConfigAnalysis } from "../../engine/src/config/validate";
import type { EndpointPool } from "../../engine/src/browse/endpointPool";
import { pairAt } from "../../engine/src/browse/pairEndpoints";
import { bounded } from "../../engine/src/upstream/bounded";
import { elementAt } from "./elementAt";
import { attributeMarkdown, elementMarkdown, valueMarkdown } from "./formatDocs";

/** A hover on an item id waits this long for the live node before showing the docs alone. */
export const LIVE_HOVER_WAIT_MS = 2000;

const inside = (span: Span, offset: number) => span.start <= offset && offset <= span.end;

/** Docs from the format description for the element, attribute or value under the cursor; live facts for an item id when a pool is given. */
export async function hover(analysis: ConfigAnalysis, offset: number, pool: EndpointPool | undefined): Promise<Hover | null> {
  const element = elementAt(analysis.tree.root, offset);
  if (!element) return null;
  const answer = (markdown: string | undefined, span: Span): Hover | null => (markdown ? { contents: { kind: MarkupKind.Markdown, value: markdown }, range: analysis.lines.rangeOf(span) } : null);

  if (inside(element.nameSpan, offset)) return answer(elementMarkdown(element.name), element.nameSpan);
  for (const attr of element.attributes) {
    if (inside(attr.nameSpan, offset)) return answer(attributeMarkdown(element.name, attr.name), attr.nameSpan);
    if (inside(attr.valueSpan, offset)) {
      const docs = valueMarkdown(element.name, attr.name, attr.value.trim());
      const live = pool && element.name === "item" && attr.name === "id" ? await liveNodeMarkdown(analysis, offset, attr.value.trim(), pool) : undefined;
      return answer([live, docs].filter(Boolean).join("\n\n---\n\n") || undefined, attr.valueSpan);
    }
  }
  if (element.textSpan && inside(element.textSpan, offset)) return answer(elementMarkdown(element.name), element.textSpan);
  return null;
}

async function liveNodeMarkdown(analysis: ConfigAnalysis, offset: number, configId: string, pool: EndpointPool): Promise<string | undefined> {
  const pair = pairAt(analysis.tree, offset);
  // `ns=` ids are in the primary's numbering (the engine reads them so), also when the secondary is asked.
  const primaryTable =
    pair?.primary && !pool.session(pair.primary, pair.trustPolicy).downReason()
      ? await bounded(pool.session(pair.primary, pair.trustPolicy).namespaceTable(), LIVE_HOVER_WAIT_MS, "reading the primary's namespaces").catch(() => undefined)
      : undefined;
  for (const url of [pair?.primary, pair?.secondary]) {
    if (!url || !pair || pool.session(url, pair.trustPolicy).downReason()) continue;
    try {
      const session = pool.session(url, pair.trustPolicy);
      const [nodeId] = await session.configNodeIds([configId], primaryTable);
      if (!nodeId) return `**Live** (${url}): the server has no namespace for \`${configId}\``;
      const browsed = pool
        .namespace(url, pair.trustPolicy)
        .snapshot()
        .nodes.find((n) => n.nodeId === nodeId)?.path;
      const [[facts], path] = await bounded(Promise.all([session.readFacts([nodeId]), browsed ?? session.browsePath(nodeId)]), LIVE_HOVER_WAIT_MS, `reading ${nodeId}`);
      if (!facts.exists) return `**Live** (${url}): no node \`${nodeId}\` on this server`;
      const lines = [`**Live** (${url})`];
      if (path) lines.push(`- browse path: \`Objects/${path}\``);
      if (facts.nodeClass) lines.push(`- node class: ${facts.nodeClass}`);
      if (facts.dataType) lines.push(`- data type: ${facts.dataType}`);
      if (facts.value !== undefined) lines.push(`- value: \`${facts.value}\``);
      lines.push(`- status: ${facts.status}`);
      return lines.join("\n");
    } catch {
      continue;
    }
  }
  return undefined;
}
