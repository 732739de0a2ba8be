import { NodeId, ReadValueId, type BrowsePath, type OPCUAServer } from "node-opcua";

type Engine = OPCUAServer["engine"];

/**
 * Wraps the engine's HistoryRead, and keeps node-opcua from refreshing the current value of
 * each node a HistoryRead asks for (for a mirrored variable an upstream Read whose answer
 * nothing uses: a third of a forwarded HistoryRead's time). Relies on node-opcua 2.186's
 * ServerEngine: `historyRead` is what the HistoryRead service calls, and it calls
 * `refreshValues` with the request's HistoryReadValueIds before reading.
 */
export function aroundHistoryRead(
  engine: Engine,
  around: (run: () => ReturnType<Engine["historyRead"]>, context: Parameters<Engine["historyRead"]>[0], request: Parameters<Engine["historyRead"]>[1]) => ReturnType<Engine["historyRead"]>,
): void {
  const refreshValues = engine.refreshValues.bind(engine);
  engine.refreshValues = (nodes, maxAge, callback) => {
    const reads = (nodes as unknown[]).filter((node): node is ReadValueId => node instanceof ReadValueId);
    refreshValues(reads, maxAge, callback);
  };
  const historyRead = engine.historyRead.bind(engine);
  engine.historyRead = (context, request) => around(() => historyRead(context, request), context, request);
}

/**
 * Runs `before` on each browse path of a TranslateBrowsePathsToNodeIds request before node-opcua
 * follows it. Relies on node-opcua 2.186's ServerEngine: the service calls `translateBrowsePaths`,
 * which calls `translateBrowsePath` once a path.
 */
export function beforeTranslateBrowsePath(engine: Engine, before: (browsePath: BrowsePath) => void): void {
  const translateBrowsePath = engine.translateBrowsePath.bind(engine);
  engine.translateBrowsePath = (browsePath) => {
    before(browsePath);
    return translateBrowsePath(browsePath);
  };
}

/**
 * Has each Read request wait for `before` (given the request's NodeIds) before node-opcua reads;
 * a failure of `before` does not stop the read. Relies on node-opcua 2.186's ServerEngine: the
 * Read service calls `read`.
 */
export function beforeRead(engine: Engine, before: (nodeIds: NodeId[]) => Promise<void>): void {
  const read = engine.read.bind(engine);
  engine.read = async (context, request) => {
    await before((request.nodesToRead ?? []).map((node) => node.nodeId).filter((nodeId): nodeId is NodeId => nodeId instanceof NodeId)).catch(() => undefined);
    return read(context, request);
  };
}
