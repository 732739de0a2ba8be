import * as vscode from "vscode";
import type { ConfigStatus } from "./configStatus";
import type { EngineProcess } from "./engineProcess";
import { summarizePairs } from "./pairsSummary";
import type { PairsStore } from "./pairsStore";

const ICON = { ok: "$(pass)", degraded: "$(warning)", outage: "$(error)" } as const;

/**
 * The engine's state, or how its pairs serve: the error colour only when a pair serves nothing (or
 * the configuration keeps the engine from starting), never merely for a lost standby. A click
 * opens the pairs view (the Problems view for a configuration with errors).
 */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("redundancymaster.status", vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly engine: EngineProcess,
    private readonly pairs: PairsStore,
    private readonly configStatus: ConfigStatus,
  ) {
    this.item.name = "RedundancyMaster";
    this.subscriptions = [engine.onState(() => this.render()), pairs.onDidChange(() => this.render()), configStatus.onDidChange(() => this.render())];
    this.render();
    this.item.show();
  }

  private render(): void {
    const state = this.engine.state;
    this.item.command = "redundancymaster.pairs.focus";
    this.item.backgroundColor = undefined;
    if (state === "starting") {
      this.item.text = "$(loading~spin) RedundancyMaster";
      this.item.tooltip = "The engine is starting";
      return;
    }
    if (state === "stopped") {
      const refusal = this.configStatus.errors;
      this.item.text = refusal ? "$(error) RedundancyMaster: configuration has errors" : "$(debug-stop) RedundancyMaster: stopped";
      this.item.tooltip = refusal ? `The engine did not start: ${refusal.message}` : "The engine is not running: click to open the pairs view";
      if (refusal) {
        this.item.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
        this.item.command = "redundancymaster.showProblems";
      }
      return;
    }
    const summary = summarizePairs(this.pairs.all());
    this.item.text = `${ICON[summary.level]} RedundancyMaster: ${summary.text}`;
    this.item.backgroundColor = summary.level === "outage" ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
    this.item.tooltip = `Engine running (pid ${this.engine.pid})\n${summary.tooltip}`;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
