import * as vscode from "vscode";
import { Methods } from "../../../engine/src/control/clientApi";
import type { Services } from "../services";
import type { PairsNode } from "../views/pairsTree";
import { ENABLED_PAIR, pairArgument } from "./pairArgument";

/** Disables redundancy for a pair on this machine: its clients lose their endpoint, so it asks first. */
export async function disablePair(services: Services, arg?: PairsNode | string): Promise<void> {
  const pair = await pairArgument(services, arg, ENABLED_PAIR);
  if (!pair) return;
  if (typeof arg !== "string") {
    const ok = await vscode.window.showWarningMessage(`Disable redundancy for '${pair}'? Its endpoint stops serving clients.`, { modal: true }, "Disable");
    if (ok !== "Disable") return;
  }
  await services.engine.connection.sendRequest(Methods.setEnabled, { pair, enabled: false });
}
