import * as vscode from "vscode";
import type { RuntimeEvent } from "../../../engine/src/control/clientApi";
import type { EventsChange, EventsModel } from "./eventsModel";

type Timelines = ReturnType<EventsModel["timelines"]>;

/**
 * What the webview (client/media/events.js) receives: the whole table on a reset; else the new
 * events, the sequence number below which rows go (the model dropped them), and the timelines
 * only when they changed.
 */
export type PanelMessage =
  { type: "reset"; events: readonly RuntimeEvent[]; timelines: Timelines; timelineMinutes: number } | { type: "append"; events: RuntimeEvent[]; oldestKept: number | undefined; timelines?: Timelines };

/** Batches appends so that an event storm costs one message per 100 ms, not one per event. */
const BATCH_MS = 100;

/**
 * "Runtime Events": the model as a themed table with filters, Save As…, Reset and a count, above it
 * the failover timeline. The webview does the filtering; this side only feeds it.
 */
export class EventsPanel implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = "redundancymaster.events";
  private view: vscode.WebviewView | undefined;
  private pending: RuntimeEvent[] = [];
  private oldestKept: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The timelines the webview has, as JSON. */
  private timelinesSent = "";

  constructor(
    private readonly model: EventsModel,
    private readonly mediaRoot: vscode.Uri,
  ) {
    model.onChange((change) => (change.kind === "reset" ? this.postReset() : this.queue(change)));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [this.mediaRoot] };
    view.webview.html = this.html(view.webview);
    view.webview.onDidReceiveMessage((m: { type: string }) => {
      if (m.type === "ready") this.postReset();
      if (m.type === "saveAs") void vscode.commands.executeCommand("redundancymaster.saveEvents");
      if (m.type === "reset") void vscode.commands.executeCommand("redundancymaster.resetEvents");
    });
    view.onDidDispose(() => (this.view = undefined));
  }

  private queue(change: Extract<EventsChange, { kind: "append" }>): void {
    this.pending.push(...change.added);
    this.oldestKept = change.oldestKept;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const oldestKept = this.oldestKept;
      // a burst larger than the table: only what is still kept goes over
      const batch = this.pending.filter((e) => oldestKept === undefined || e.seq >= oldestKept);
      this.pending = [];
      const timelines = this.model.timelines();
      const json = JSON.stringify(timelines);
      const changed = json !== this.timelinesSent;
      this.timelinesSent = json;
      this.post({ type: "append", events: batch, oldestKept, ...(changed ? { timelines } : {}) });
    }, BATCH_MS);
  }

  private postReset(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    const timelineMinutes = vscode.workspace.getConfiguration("redundancymaster").get<number>("events.timelineMinutes", 30);
    const timelines = this.model.timelines();
    this.timelinesSent = JSON.stringify(timelines);
    this.post({ type: "reset", events: this.model.events, timelines, timelineMinutes });
  }

  private post(message: PanelMessage): void {
    void this.view?.webview.postMessage(message);
  }

  private html(webview: vscode.Webview): string {
    const nonce = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, name));
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset("events.css")}"><title>Runtime Events</title></head>
<body>
<div class="toolbar">
  <label class="sev error"><input type="checkbox" data-severity="error" checked>Errors</label>
  <label class="sev warning"><input type="checkbox" data-severity="warning" checked>Warnings</label>
  <label class="sev information"><input type="checkbox" data-severity="information" checked>Information</label>
  <select id="pair" aria-label="Pair"><option value="">All pairs</option></select>
  <input id="text" type="search" placeholder="Filter text" aria-label="Filter text">
  <label title="Show the newest event at the top of the table"><input type="checkbox" id="newestFirst">Newest first</label>
  <span id="count" class="count"></span>
  <button id="saveAs" title="Save the events to a text file">Save As…</button>
  <button id="reset" class="secondary" title="Clear the event log">Reset</button>
</div>
<div id="timeline" class="timeline" aria-label="Failover timeline"></div>
<div class="table-wrap" id="wrap"><table>
  <thead><tr><th title="The date is in each row's tooltip">Time</th><th>Process</th><th>Pair</th><th>Side</th><th>Severity</th><th class="text">Event</th></tr></thead>
  <tbody id="rows"></tbody>
</table></div>
<script nonce="${nonce}" src="${asset("events.js")}"></script>
</body></html>`;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
