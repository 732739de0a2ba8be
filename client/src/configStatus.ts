import * as path from "node:path";
import * as vscode from "vscode";
import type { ConfigHasErrors } from "./configErrors";
import { findConfigFile } from "./configFile";

/**
 * Whether the workspace has a configuration and whether the engine refused it for its errors, as
 * the views show it (context keys `redundancymaster.hasConfig` and `redundancymaster.configErrors`
 * choose the Server Pairs view's welcome text). A refused configuration is tried again when it is
 * saved: `retry` starts the engine.
 */
export class ConfigStatus implements vscode.Disposable {
  private refusedFile: string | undefined;
  private refusal: ConfigHasErrors | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(retry: () => void) {
    const watcher = vscode.workspace.createFileSystemWatcher(vscode.workspace.getConfiguration("redundancymaster").get<string>("configFiles", "**/redundancymaster.xml"));
    this.subscriptions = [
      watcher,
      watcher.onDidCreate(() => void this.findConfig()),
      watcher.onDidDelete(() => void this.findConfig()),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (this.refusedFile && path.resolve(document.uri.fsPath) === path.resolve(this.refusedFile)) retry();
      }),
      this.changed,
    ];
    void this.findConfig();
  }

  /** The engine's last refusal, while the file has not been started since. */
  get errors(): ConfigHasErrors | undefined {
    return this.refusal;
  }

  refused(refusal: ConfigHasErrors): void {
    this.refusedFile = refusal.configFile;
    this.refusal = refusal;
    void vscode.commands.executeCommand("setContext", "redundancymaster.configErrors", true);
    this.changed.fire();
  }

  accepted(): void {
    if (!this.refusal) return;
    this.refusedFile = undefined;
    this.refusal = undefined;
    void vscode.commands.executeCommand("setContext", "redundancymaster.configErrors", false);
    this.changed.fire();
  }

  private async findConfig(): Promise<void> {
    const found = await findConfigFile().catch(() => undefined);
    void vscode.commands.executeCommand("setContext", "redundancymaster.hasConfig", found !== undefined);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
