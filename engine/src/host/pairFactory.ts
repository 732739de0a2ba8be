import type { ServerPairConfig } from "../config/model";
import type { PairOptions } from "../pair/pair";
import type { PairHooks, PairRuntime } from "../pair/pairRuntime";
import type { RunningEndpoint } from "./endpointService";

/** What the host needs to run one pair: the pair itself and, when the build has one, its client endpoint. */
export interface PairFactory {
  createPair(config: ServerPairConfig, hooks: PairHooks, options: PairOptions): PairRuntime;
  startEndpoint?(pair: PairRuntime, options: { port: number; listen: string; offerSecurityNone: boolean; applicationName: string; pkiDir: string }): Promise<RunningEndpoint>;
}

/** The real pair and endpoint, loaded on first use (they bring node-opcua). */
export async function loadPairFactory(): Promise<PairFactory> {
  const [{ createPair }, { startPairEndpoint }] = await Promise.all([import("../pair/pair.js"), import("../proxy/pairEndpoint.js")]);
  return { createPair, startEndpoint: startPairEndpoint };
}
