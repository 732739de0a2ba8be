import * as vscode from "vscode";
import type { Severity } from "../../engine/src/control/clientApi";

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2 };

/**
 * The "RedundancyMaster Engine" output channel: the engine's lifecycle (starts, crashes, restarts)
 * and its console lines (`DATE TIME SEVERITY [PAIR/SIDE] TEXT`), those below the
 * `redundancymaster.engine.logLevel` setting left out.
 */
export class EngineLog implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel("RedundancyMaster Engine");
  private partial = "";

  line(text: string): void {
    this.channel.appendLine(`[${new Date().toISOString()}] ${text}`);
  }

  engineOutput(chunk: string): void {
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop() ?? "";
    const level = vscode.workspace.getConfiguration("redundancymaster").get<Severity>("engine.logLevel", "information");
    for (const line of lines) {
      const severity = /^\S+ \S+ (error|warning|information) /.exec(line)?.[1] as Severity | undefined;
      if (!severity || RANK[severity] <= RANK[level]) this.channel.appendLine(line);
    }
  }

  dispose(): void {
    this.channel.dispose();
  }
}
