import * as vscode from "vscode";
import { Methods, type ConnectionTestResult, type ConnectionTestSide } from "../../../engine/src/control/clientApi";
import type { Services } from "../services";
import type { PairsNode } from "../views/pairsTree";
import { pairArgument } from "./pairArgument";

/** Tests both sides of a pair: reachability, security modes, namespace sync. The details go to the engine log. */
export async function testConnection(services: Services, arg?: PairsNode | string): Promise<ConnectionTestResult | undefined> {
  const pair = await pairArgument(services, arg);
  if (!pair) return undefined;
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing the connection of '${pair}'…` }, () =>
    services.engine.connection.sendRequest(Methods.testConnection, { pair }),
  );
  const side = (s: ConnectionTestSide) => `${s.side} ${s.url}: ${s.reachable ? "reachable" : "NOT reachable"} (${s.detail})${s.securityModes?.length ? `, security ${s.securityModes.join("/")}` : ""}`;
  const missing = [...(result.missingOnPrimary ?? []).map((id) => `${id} missing on the primary`), ...(result.missingOnSecondary ?? []).map((id) => `${id} missing on the secondary`)];
  const lines = [side(result.primary), side(result.secondary), missing.length ? `not synced: ${missing.join(", ")}` : "namespaces in sync for the configured items"];
  for (const line of lines) services.log.line(`test connection ${pair}: ${line}`);
  const ok = result.primary.reachable && result.secondary.reachable && missing.length === 0;
  const show = ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  // not awaited: the notification stays until the user closes it, the result is ready now
  void show(`${pair}: ${ok ? "both sides reachable and in sync" : lines.filter((l) => /NOT|not synced/.test(l)).join("; ")}`, "Show Details").then((choice) => {
    if (choice) services.log.channel.show(true);
  });
  return result;
}
