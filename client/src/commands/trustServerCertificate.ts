import * as vscode from "vscode";
import { Methods, type PairSnapshot, type Side, type UntrustedCertificate } from "../../../engine/src/control/protocol";
import type { Services } from "../services";
import type { PairsNode } from "../views/pairsTree";

const REASONS: Record<UntrustedCertificate["reason"], string> = {
  untrusted: "It is not in the trust list.",
  changed: "It is not the certificate this server presented before and was pinned to.",
  withdrawn: "It was taken out of the trust list.",
};

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
    const detail = [
      `${REASONS[certificate.reason]}`,
      "",
      `Subject: ${certificate.subject}`,
      `Valid: ${certificate.validFrom} to ${certificate.validTo}`,
      `Thumbprint (SHA-1): ${certificate.thumbprint}`,
      ...(certificate.pinnedThumbprint ? [`Pinned before: ${certificate.pinnedThumbprint}`] : []),
      "",
      "Compare the thumbprint with the one the server itself shows. Once trusted, the engine sends this server the pair's credentials.",
    ].join("\n");
    const answer = await vscode.window.showWarningMessage(`Trust the certificate of '${pairName}' on the ${side} (${pair[side].url})?`, { modal: true, detail }, "Trust");
    if (answer !== "Trust") return undefined;
  }
  return services.engine.connection.sendRequest(Methods.trustServerCertificate, { pair: pairName, side, thumbprint: certificate.thumbprint });
}
