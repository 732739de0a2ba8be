import { writeFile } from "node:fs/promises";
import * as vscode from "vscode";
import { Methods, savedLogLine } from "../../../engine/src/control/clientApi";
import type { Services } from "../services";

/**
 * "Save As…": the engine writes its whole log (the panel may hold fewer rows); with no engine the
 * panel's rows are written in the same format (engine/src/events/eventLines.ts).
 */
export async function saveEvents(services: Services): Promise<void> {
  const stamp = new Date().toISOString().slice(0, 10);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: "Save Runtime Events As",
    defaultUri: folder && vscode.Uri.joinPath(folder, `redundancymaster-events-${stamp}.rmlog`),
    filters: { "RedundancyMaster event log": ["rmlog"], Text: ["txt", "log"] },
  });
  if (!target) return;
  let count: number;
  if (services.engine.state === "running") {
    count = (await services.engine.connection.sendRequest(Methods.saveEvents, { file: target.fsPath })).count;
  } else {
    const events = services.events.events;
    await writeFile(target.fsPath, events.map((e) => `${savedLogLine(e)}\n`).join(""));
    count = events.length;
  }
  const open = await vscode.window.showInformationMessage(`Saved ${count} event(s) to ${vscode.workspace.asRelativePath(target)}.`, "Open");
  if (open) await vscode.window.showTextDocument(target);
}
