import { Methods } from "../../../engine/src/control/clientApi";
import type { Services } from "../services";
import type { PairsNode } from "../views/pairsTree";
import { DISABLED_PAIR, pairArgument } from "./pairArgument";

/** Enables redundancy for a pair on this machine (machine-local state, kept by the engine). */
export async function enablePair(services: Services, arg?: PairsNode | string): Promise<void> {
  const pair = await pairArgument(services, arg, DISABLED_PAIR);
  if (pair) await services.engine.connection.sendRequest(Methods.setEnabled, { pair, enabled: true });
}
