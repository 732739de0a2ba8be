import * as vscode from "vscode";
import { Methods } from "../../../engine/src/control/clientApi";
import type { Services } from "../services";

/** "Reset": clears the event log, the engine's and the panel's, after asking. */
export async function resetEvents(services: Services): Promise<void> {
  const count = services.events.events.length;
  const ok = await vscode.window.showWarningMessage(`Clear all ${count} runtime events? The engine's saved log is cleared too.`, { modal: true }, "Reset");
  if (ok !== "Reset") return;
  if (services.engine.state === "running") await services.engine.connection.sendRequest(Methods.resetEvents);
  services.events.clear();
}
