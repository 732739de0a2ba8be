import * as vscode from "vscode";
import type { EngineProcess } from "./engineProcess";
import type { PairsStore } from "./pairsStore";

/** Engine running or stopped, and how many enabled pairs are not fully available; a click opens the pairs view. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("redundancymaster.status", vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly engine: EngineProcess, private readonly pairs: PairsStore) {
    this.item.name = "RedundancyMaster";
    this.item.command = "redundancymaster.pairs.focus";
    this.subscriptions = [engine.onState(() => this.render()), pairs.onDidChange(() => this.render())];
    this.render();
    this.item.show();
  }

  private render(): void {
    const state = this.engine.state;
    const degraded = this.pairs.notFullyAvailable();
    if (state !== "running") {
      this.item.text = state === "starting" ? "$(loading~spin) RedundancyMaster" : "$(debug-stop) RedundancyMaster: stopped";
      this.item.backgroundColor = undefined;
      this.item.tooltip = state === "starting" ? "The engine is starting" : "The engine is not running: click to open the pairs view";
      return;
    }
    const all = this.pairs.all();
    const disabled = all.filter((p) => !p.enabled).length;
    const summary = degraded ? `$(warning) RedundancyMaster: ${degraded} of ${all.length} not available` : `$(pass) RedundancyMaster: ${all.length} pair${all.length === 1 ? "" : "s"}`;
    this.item.text = disabled ? `${summary}, ${disabled} disabled` : summary;
    this.item.backgroundColor = degraded ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
    this.item.tooltip = `Engine running (pid ${this.engine.pid}); ${degraded} enabled pair(s) not fully available`;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
