import { addAggregateSupport, type AddressSpace, type Namespace, type UAVariable } from "node-opcua";

/** Counter's in-memory history: the last 5 minutes at 10 Hz. */
const COUNTER_HISTORY_VALUES = 3000;

/**
 * Makes a variable historizing (Historizing, AccessLevel HistoryRead, values kept in memory, raw
 * and processed reads: Interpolative, Minimum, Maximum, Average).
 * installHistoricalDataNode puts its "HA Configuration" object into the server's own namespace,
 * whose URI names the sim (primary, secondary), so the pair would find the two sides' address
 * spaces different: it is put into the sim namespace instead, and last, so that it takes the same
 * ids on both sides and moves no other node's id.
 */
export function installHistory(addressSpace: AddressSpace, namespace: Namespace, variable: UAVariable): void {
  addressSpace.getOwnNamespace = () => namespace;
  try {
    addressSpace.installHistoricalDataNode(variable, { maxOnlineValues: COUNTER_HISTORY_VALUES });
  } finally {
    delete (addressSpace as Partial<AddressSpace>).getOwnNamespace;
  }
  addAggregateSupport(addressSpace);
}
