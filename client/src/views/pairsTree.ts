import * as vscode from "vscode";
import type { EngineMetrics, MonitorItemSnapshot, PairSnapshot, SideSnapshot } from "../../../engine/src/control/clientApi";
import type { PairsStore } from "../pairsStore";
import { pairFigureLines } from "./pairFigures";
import { monitorItemIcon, pairStatusIcon, sideStateIcon } from "./pairStatusIcon";

export type PairsNode =
  { kind: "pair"; pair: PairSnapshot } | { kind: "side"; pair: PairSnapshot; side: SideSnapshot } | { kind: "item"; pair: PairSnapshot; side: SideSnapshot; item: MonitorItemSnapshot };

const capitalized = (s: string) => s[0].toUpperCase() + s.slice(1);

/** The engine's operating figures now; undefined while no engine runs. */
export type MetricsSource = () => Promise<EngineMetrics | undefined>;

/**
 * "Server Pairs": a node per pair (effective name; status, mode, active machine), its primary and
 * secondary (Running / Stopped / Disconnected), and under each side the monitor items. A pair's
 * tooltip is made when it opens, with the engine's figures of that moment.
 */
export class PairsTree implements vscode.TreeDataProvider<PairsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PairsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: PairsStore,
    private readonly metrics: MetricsSource,
  ) {
    this.subscription = store.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(node?: PairsNode): PairsNode[] {
    if (!node)
      return this.store
        .all()
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((pair) => ({ kind: "pair", pair }));
    if (node.kind === "pair") return [node.pair.primary, node.pair.secondary].map((side) => ({ kind: "side", pair: node.pair, side }));
    if (node.kind === "side") return node.side.items.map((item) => ({ kind: "item", pair: node.pair, side: node.side, item }));
    return [];
  }

  getTreeItem(node: PairsNode): vscode.TreeItem {
    if (node.kind === "pair") return pairItem(node.pair);
    if (node.kind === "side") return sideItem(node.pair, node.side);
    return monitorItem(node.side, node.item);
  }

  async resolveTreeItem(item: vscode.TreeItem, node: PairsNode): Promise<vscode.TreeItem> {
    if (node.kind !== "pair") return item;
    const metrics = await this.metrics().catch(() => undefined);
    item.tooltip = pairTooltip(node.pair, metrics);
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function pairItem(pair: PairSnapshot): vscode.TreeItem {
  const item = new vscode.TreeItem(pair.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `pair:${pair.name}`;
  const active = pair.active ? `active: ${pair.active} (${pair[pair.active].host})` : "no active side";
  const serving = pair.notServing === undefined ? "" : " · not serving";
  item.description = pair.enabled ? `${pair.status}${serving} · ${pair.mode} · ${active}` : `Disabled · ${pair.mode}`;
  item.iconPath = pairStatusIcon(pair.enabled ? pair.status : "Disabled");
  item.contextValue = `pair.${pair.enabled ? "enabled" : "disabled"}${pair.alias ? ".aliased" : ""}`;
  return item;
}

function pairTooltip(pair: PairSnapshot, metrics: EngineMetrics | undefined): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${pair.name}**${pair.alias ? ` (alias of \`${pair.configName}\`)` : ""}\n\n`);
  tooltip.appendMarkdown(`${pair.enabled ? pair.status : "Redundancy disabled on this machine"} · ${pair.mode} mode · endpoint port ${pair.port}\n\n`);
  if (pair.notServing !== undefined) tooltip.appendMarkdown(`No endpoint serves the pair's clients: ${pair.notServing}\n\n`);
  if (pair.notSynced) tooltip.appendMarkdown(`Not synced: ${pair.notSynced.missingOnPrimary.length} item(s) missing on the primary, ${pair.notSynced.missingOnSecondary.length} on the secondary\n\n`);
  const figures = metrics?.pairs[pair.name];
  if (figures) tooltip.appendMarkdown(pairFigureLines(figures, metrics.engine).join("  \n"));
  return tooltip;
}

function sideItem(pair: PairSnapshot, side: SideSnapshot): vscode.TreeItem {
  const item = new vscode.TreeItem(capitalized(side.side), side.items.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `side:${pair.name}:${side.side}`;
  const monitor = side.monitorTest === "unknown" ? "" : ` · monitor test ${side.monitorTest === "passed" ? "passed" : "in error"}`;
  const untrusted = side.untrustedCertificate ? " · certificate not trusted" : "";
  item.description = `${side.state}${untrusted}${pair.active === side.side ? " · active" : ""} · ${side.host}${monitor}`;
  item.tooltip = `${capitalized(side.side)} ${side.url}: ${side.state}${side.reason ? ` (${side.reason})` : ""}`;
  item.iconPath = sideStateIcon(side.state);
  // side.untrusted offers "Trust Server Certificate…"
  item.contextValue = side.untrustedCertificate ? "side.untrusted" : "side";
  return item;
}

function monitorItem(side: SideSnapshot, monitor: MonitorItemSnapshot): vscode.TreeItem {
  const item = new vscode.TreeItem(monitor.id, vscode.TreeItemCollapsibleState.None);
  const verdict = monitor.unknown ? "unknown" : monitor.inError ? "error" : "passed";
  item.description = verdict === "error" ? `in error${monitor.reason ? `: ${monitor.reason}` : ""}` : `${verdict} · ${monitor.trigger}`;
  if (verdict === "unknown") item.tooltip = side.state === "Disconnected" ? `Unknown: the ${side.side} is disconnected` : "Unknown: no value judged since the side connected";
  item.iconPath = monitorItemIcon(verdict);
  item.contextValue = "monitorItem";
  return item;
}
