import { CompletionItemKind, type CompletionItem, type CompletionList, type TextEdit } from "vscode-languageserver/node";
import { DATA_TYPES } from "../../../engine/src/config/format";
import type { TrustPolicy } from "../../../engine/src/config/model";
import type { Span } from "../../../engine/src/config/textPositions";
import type { EndpointPool } from "../../../engine/src/browse/endpointPool";
import type { BrowsedNode, EndpointNamespace } from "../../../engine/src/browse/namespaceCache";
import type { PairEndpoints } from "../../../engine/src/browse/pairEndpoints";
import type { RangeOf } from "./schemaCompletion";

/** The `<item id="…">` being completed. */
export interface ItemIdSite {
  text: string;
  valueSpan: Span;
  hasDataType: boolean;
}

/** How long the first request waits for a fast server before answering "browsing…". */
export const FIRST_ANSWER_WAIT_MS = 300;

/**
 * Item ids from the live namespace of the pair's primary, or of its secondary while the primary
 * is down (no pool: live browsing is off). Never waits longer than FIRST_ANSWER_WAIT_MS: until the namespace is fully browsed
 * the list is marked incomplete, so the editor asks again as the user types.
 */
export async function itemIdCompletions(site: ItemIdSite, pair: PairEndpoints | undefined, pool: EndpointPool | undefined, rangeOf: RangeOf): Promise<CompletionList> {
  const range = rangeOf(site.valueSpan);
  const typed = site.text.slice(site.valueSpan.start, site.valueSpan.end);
  const note = (label: string, detail: string): CompletionItem => ({
    label,
    kind: CompletionItemKind.Text,
    detail,
    sortText: "!",
    filterText: typed,
    textEdit: { range, newText: typed },
  });
  if (!pool) return { isIncomplete: false, items: [note("live item ids are off", "the editor turned live browsing off (e.g. in an untrusted workspace)")] };
  const urls = [pair?.primary, pair?.secondary].filter((u): u is string => !!u);
  if (urls.length === 0) return { isIncomplete: false, items: [note("no endpoint", "give the pair's <primary url> to complete item ids from its namespace")] };

  const policy = pair!.trustPolicy;
  const namespace = await reachableNamespace(urls, pool, policy);
  if (!namespace) {
    const reasons = urls.map((u) => pool.session(u, policy).downReason() ?? `${u} is not answering`).join("; ");
    return { isIncomplete: true, items: [note("servers unreachable", reasons)] };
  }
  const snapshot = namespace.snapshot();
  const items = snapshot.nodes.map((node) => nodeItem(node, site, range));
  if (!snapshot.complete) {
    const status = snapshot.error ? `browsing stopped: ${snapshot.error}` : `browsing ${namespace.session.url}…`;
    items.unshift(note(snapshot.error ? "browsing stopped" : "browsing…", status));
  }
  return { isIncomplete: !snapshot.complete, items };
}

/** The first endpoint whose namespace is browsing or browsed, trying the next while one fails within the wait. */
async function reachableNamespace(urls: string[], pool: EndpointPool, policy: TrustPolicy): Promise<EndpointNamespace | undefined> {
  const deadline = Date.now() + FIRST_ANSWER_WAIT_MS;
  for (const url of urls) {
    if (pool.session(url, policy).downReason()) continue;
    const namespace = pool.namespace(url, policy);
    const exploring = namespace.explore();
    if (namespace.snapshot().nodes.length > 0 || namespace.snapshot().complete) return namespace;
    await Promise.race([exploring, delay(Math.max(0, deadline - Date.now()))]);
    if (!pool.session(url, policy).downReason()) return namespace;
  }
  return undefined;
}

function nodeItem(node: BrowsedNode, site: ItemIdSite, range: ReturnType<RangeOf>): CompletionItem {
  const variable = node.nodeClass === "Variable";
  const item: CompletionItem = {
    label: node.nodeId,
    labelDetails: { detail: ` ${node.browseName}`, description: [node.nodeClass, node.dataType].filter(Boolean).join(" · ") },
    kind: variable ? CompletionItemKind.Variable : CompletionItemKind.Folder,
    detail: node.path,
    // The plant's nodes first, in browse-path order (a folder, then what it holds); the standard ones (ns=0, the Server object) last.
    sortText: `${node.standard ? 1 : 0}${node.path}`,
    filterText: `${node.nodeId} ${node.browseName}`,
    textEdit: { range, newText: node.nodeId },
  };
  const dataTypeEdit = variable && !site.hasDataType ? dataTypeInsertion(node.dataType, site, range.end) : undefined;
  if (dataTypeEdit) item.additionalTextEdits = [dataTypeEdit];
  return item;
}

/** ` dataType="…"` right after the id's closing quote, for a built-in type the format accepts. */
function dataTypeInsertion(dataType: string | undefined, site: ItemIdSite, valueEnd: ReturnType<RangeOf>["end"]): TextEdit | undefined {
  const quote = site.text[site.valueSpan.end];
  if (!dataType || !(DATA_TYPES as readonly string[]).includes(dataType) || (quote !== '"' && quote !== "'")) return undefined;
  const after = { line: valueEnd.line, character: valueEnd.character + 1 };
  return { range: { start: after, end: after }, newText: ` dataType="${dataType}"` };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
