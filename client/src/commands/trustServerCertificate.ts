import * as vscode from "vscode";
import { Methods, type PairSnapshot, type Side } from "../../../engine/src/control/clientApi";
import type { Services } from "../services";
import type { PairsNode } from "../views/pairsTree";
import { certificateQuestion } from "./certificateQuestion";

/**
 * "Trust Server Certificate…" on a side whose server presented a certificate the trust list
 * refused: shows its subject, validity and thumbprint, and trusts it once the user confirms (the
 * engine logs serverCertificateTrusted with this user). `confirmed` skips the question (tests).
 */
export async function trustServerCertificate(services: Services, arg?: PairsNode | string, sideArg?: Side, confirmed?: boolean): Promise<PairSnapshot | undefined> {
  const pairName = typeof arg === "string" ? arg : arg?.pair.name;
  const side = typeof arg === "object" && arg.kind !== "pair" ? arg.side.side : sideArg;
  if (!pairName || !side) throw new Error("Trust Server Certificate… works on a pair's primary or secondary in Server Pairs.");
  const pair = services.pairs.all().find((p) => p.name === pairName);
  const certificate = pair?.[side].untrustedCertificate;
  if (!pair || !certificate) {
    void vscode.window.showInformationMessage(`The ${side} of '${pairName}' presents no refused certificate: there is nothing to trust.`);
    return undefined;
  }
  if (!confirmed) {
    const { message, detail } = certificateQuestion(pairName, side, pair[side].url, certificate);
    const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, "Trust");
    if (answer !== "Trust") return undefined;
  }
  return services.engine.connection.sendRequest(Methods.trustServerCertificate, { pair: pairName, side, thumbprint: certificate.thumbprint });
}
