import * as vscode from "vscode";
import type { PairSnapshot } from "../../engine/src/control/clientApi";
import type { EngineProcess } from "./engineProcess";

/** The engine's pairs as last reported: whole on start and reload, one at a time as they change. */
export class PairsStore implements vscode.Disposable {
  private readonly pairs = new Map<string, PairSnapshot>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(engine: EngineProcess) {
    this.subscriptions = [
      engine.onSnapshot((snapshot) => {
        this.pairs.clear();
        for (const pair of snapshot.pairs) this.pairs.set(pair.name, pair);
        this.changed.fire();
      }),
      engine.onPairChanged((pair) => {
        this.pairs.set(pair.name, pair);
        this.changed.fire();
      }),
      engine.onState((state) => {
        if (state !== "stopped") return;
        this.pairs.clear();
        this.changed.fire();
      }),
    ];
  }

  all(): PairSnapshot[] {
    return [...this.pairs.values()];
  }

  get(name: string): PairSnapshot | undefined {
    return this.pairs.get(name);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
