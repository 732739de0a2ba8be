import * as vscode from "vscode";
import { Methods, type PairSnapshot } from "../../../engine/src/control/protocol";
import type { Services } from "../services";
import type { PairsNode } from "../views/pairsTree";
import { pairArgument } from "./pairArgument";

export async function forceFailover(services: Services, arg?: PairsNode | string): Promise<PairSnapshot | undefined> {
  const pair = await pairArgument(services, arg);
  if (!pair) return undefined;
  const after = await services.engine.connection.sendRequest(Methods.forceFailover, { pair });
  void vscode.window.showInformationMessage(`${pair}: ${after.active ? `the ${after.active} is now active` : "no side is active"} (${after.status}).`);
  return after;
}
