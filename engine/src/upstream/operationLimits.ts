import { AttributeIds, makeNodeId, StatusCodes, VariableIds, type ClientSession, type DataValue } from "node-opcua";

/** Below this the upstream's own limit applies; an upstream that declares none (0) gets this. */
const DEFAULT_CHUNK = 1000;

/** How many operations one request to the upstream carries at most: browse, read, and monitored items created or deleted. */
export interface OperationLimits {
  browse: number;
  read: number;
  monitoredItems: number;
}

/**
 * The upstream's MaxNodesPerBrowse, MaxNodesPerRead and MaxMonitoredItemsPerCall, capped at
 * DEFAULT_CHUNK (0 means "no limit" in OPC UA; a server that does not say gets DEFAULT_CHUNK). A
 * request beyond a server's limit is refused whole (BadTooManyOperations): node-opcua's own default
 * for monitored items is 10,000 a call, other stacks' often 1,000 or less.
 */
export async function readOperationLimits(session: ClientSession): Promise<OperationLimits> {
  const [browse, read, monitoredItems] = await session.read([
    { nodeId: makeNodeId(VariableIds.Server_ServerCapabilities_OperationLimits_MaxNodesPerBrowse), attributeId: AttributeIds.Value },
    { nodeId: makeNodeId(VariableIds.Server_ServerCapabilities_OperationLimits_MaxNodesPerRead), attributeId: AttributeIds.Value },
    { nodeId: makeNodeId(VariableIds.Server_ServerCapabilities_OperationLimits_MaxMonitoredItemsPerCall), attributeId: AttributeIds.Value },
  ]);
  const limit = (dv: DataValue) => {
    const n = dv.statusCode.equals(StatusCodes.Good) ? Number(dv.value.value) : 0;
    return n > 0 ? Math.min(n, DEFAULT_CHUNK) : DEFAULT_CHUNK;
  };
  return { browse: limit(browse), read: limit(read), monitoredItems: limit(monitoredItems) };
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
