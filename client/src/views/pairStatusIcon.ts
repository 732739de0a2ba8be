import * as vscode from "vscode";
import type { PairStatus, SideState } from "../../../engine/src/control/protocol";

/** One icon and colour per status, so a glance at the tree tells a healthy pair from a degraded one. */
const PAIR: Record<PairStatus, [icon: string, color: string]> = {
  "Paired and Available": ["pass-filled", "testing.iconPassed"],
  "Primary not available": ["warning", "list.warningForeground"],
  "Secondary not available": ["warning", "list.warningForeground"],
  "Pair not available": ["error", "list.errorForeground"],
  Recovering: ["sync", "charts.blue"],
  "Pair not synced": ["diff", "charts.orange"],
  Disabled: ["circle-slash", "disabledForeground"],
};

const SIDE: Record<SideState, [icon: string, color: string]> = {
  Running: ["vm-running", "testing.iconPassed"],
  Stopped: ["vm-outline", "list.warningForeground"],
  Disconnected: ["debug-disconnect", "list.errorForeground"],
};

export function pairStatusIcon(status: PairStatus): vscode.ThemeIcon {
  const [icon, color] = PAIR[status];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

export function sideStateIcon(state: SideState): vscode.ThemeIcon {
  const [icon, color] = SIDE[state];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

export function monitorItemIcon(inError: boolean): vscode.ThemeIcon {
  return inError ? new vscode.ThemeIcon("error", new vscode.ThemeColor("list.errorForeground")) : new vscode.ThemeIcon("pass", new vscode.ThemeColor("testing.iconPassed"));
}
