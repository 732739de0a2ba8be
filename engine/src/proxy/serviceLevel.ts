import { DataType, StatusCodes, Variant, VariableIds, type AddressSpace, type UAVariable } from "node-opcua";
import type { PairSnapshot, SideSnapshot } from "../control/protocol";
import type { PairRuntime } from "../pair/pairRuntime";

/** OPC UA Part 4 §6.6.2.4.2: the bands a redundancy-aware client chooses servers by. */
export const ServiceLevels = { disabled: 0, noData: 1, degraded: 100, oneSideHealthy: 200, healthy: 255 } as const;

/** Part 5 RedundancySupport: None 0, Cold 1, Warm 2, Hot 3. */
const REDUNDANCY_SUPPORT = { cold: 1, warm: 2, hot: 3 } as const;

const healthy = (side: SideSnapshot) => side.state === "Running" && side.monitorTest !== "error";

/** 255 both sides healthy, 200 the active side healthy and the other not (or not synced), 100 the active side degraded, 1 no side active, 0 disabled. */
export function serviceLevelOf(snapshot: PairSnapshot): number {
  if (!snapshot.enabled) return ServiceLevels.disabled;
  if (snapshot.active === null) return ServiceLevels.noData;
  const active = snapshot[snapshot.active];
  const standby = snapshot[snapshot.active === "primary" ? "secondary" : "primary"];
  if (!healthy(active)) return ServiceLevels.degraded;
  if (!healthy(standby) || snapshot.notSynced) return ServiceLevels.oneSideHealthy;
  return ServiceLevels.healthy;
}

/**
 * Makes the endpoint's Server.ServiceLevel follow the pair (node-opcua hard-codes 255) and its
 * ServerRedundancy.RedundancySupport state the pair's mode.
 */
export function bindRedundancyState(addressSpace: AddressSpace, pair: PairRuntime): void {
  const serviceLevel = addressSpace.findNode(`i=${VariableIds.Server_ServiceLevel}`) as UAVariable;
  serviceLevel.bindVariable({ get: () => new Variant({ dataType: DataType.Byte, value: serviceLevelOf(pair.snapshot()) }) }, true);
  const support = addressSpace.findNode(`i=${VariableIds.Server_ServerRedundancy_RedundancySupport}`) as UAVariable;
  support.setValueFromSource(new Variant({ dataType: DataType.Int32, value: REDUNDANCY_SUPPORT[pair.config.connection.mode] }), StatusCodes.Good);
}
