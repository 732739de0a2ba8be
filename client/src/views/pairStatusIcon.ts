import * as vscode from "vscode";
import type { PairStatus, SideState } from "../../../engine/src/control/clientApi";

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

const MONITOR: Record<"passed" | "error" | "unknown", [icon: string, color: string]> = {
  passed: ["pass", "testing.iconPassed"],
  error: ["error", "list.errorForeground"],
  unknown: ["circle-large-outline", "disabledForeground"],
};

export function monitorItemIcon(verdict: keyof typeof MONITOR): vscode.ThemeIcon {
  const [icon, color] = MONITOR[verdict];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}
