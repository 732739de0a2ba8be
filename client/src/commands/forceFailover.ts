import * as vscode from "vscode";
import { Methods, type PairSnapshot } from "../../../engine/src/control/clientApi";
import type { Services } from "../services";
import type { PairsNode } from "../views/pairsTree";
import { confirmOperatorAction } from "./confirmOperatorAction";
import { pairArgument } from "./pairArgument";

/** Switches a pair to its other side after asking; the engine logs it as this user's action (failoverRequested). */
export async function forceFailover(services: Services, arg?: PairsNode | string, confirmed?: boolean): Promise<PairSnapshot | undefined> {
  const pair = await pairArgument(services, arg);
  if (!pair) return undefined;
  const before = services.pairs.all().find((p) => p.name === pair);
  const from = before?.active;
  const to = from === "primary" ? "secondary" : "primary";
  const question = from ? `Force failover of '${pair}' from the ${from} (${before![from].host}) to the ${to} (${before![to].host})?` : `Force failover of '${pair}'?`;
  const detail = "Its clients are served from the other server from then on; with failback on, the pair stays there until the primary reconnects.";
  if (!(await confirmOperatorAction(question, detail, "Force Failover", confirmed))) return undefined;
  const after = await services.engine.connection.sendRequest(Methods.forceFailover, { pair });
  void vscode.window.showInformationMessage(`${pair}: ${after.active ? `the ${after.active} is now active` : "no side is active"} (${after.status}).`);
  return after;
}
