import { AsyncLocalStorage } from "node:async_hooks";
import { HistoryReadRequest, HistoryReadResult, StatusCodes, type ClientSession, type HistoryReadFunc, type OPCUAServer, type StatusCode, type UAVariable } from "node-opcua";
import { aroundHistoryRead, forwardHistoryReads } from "../opcuaInternals";
import type { PairRuntime } from "../pair/pairRuntime";
import { actingSession, isSession } from "./actingSession";
import type { EndpointUsers } from "./endpointUsers";
import type { UpstreamIds } from "./upstreamIds";

type Details = Parameters<HistoryReadFunc>[1];

/** What one client HistoryRead request asks of every node: node-opcua hands a variable the details, not these. */
interface ClientRequest {
  timestampsToReturn: HistoryReadRequest["timestampsToReturn"];
  releaseContinuationPoints: boolean;
  /** The endpoint's session the request came in on: continuation points are its own. */
  session: object;
  /** The mirrored variables' reads of this request, sent upstream together. */
  reads: NodeRead[];
}

interface NodeRead {
  variable: UAVariable;
  details: Details;
  indexRange: Parameters<HistoryReadFunc>[2];
  dataEncoding: Parameters<HistoryReadFunc>[3];
  continuationPoint?: Buffer;
  done(result: HistoryReadResult): void;
}

/** Stays below the operation limits of any server seen so far, as the forwarded reads do. */
const HISTORY_READ_CHUNK = 1000;
/**
 * Continuation points a client left unfinished without releasing them are forgotten beyond this
 * many per client session (the upstream server expires its own); the oldest go first.
 */
const MAX_POINTS_PER_SESSION = 1000;

/**
 * Forwards HistoryRead of mirrored variables to the active side: the client's details
 * (raw/modified, processed, at-time), timestamps to return, index range and continuation point go
 * upstream with the NodeId mapped, and the upstream's results come back as they are. The nodes of
 * one client request go upstream as one HistoryRead per details. A continuation point belongs to
 * the upstream session that issued it: once another upstream session serves the pair (a
 * failover, a new session after a reconnect) it is answered BadContinuationPointInvalid here,
 * never sent to a session that did not issue it. While no side is active: BadNoCommunication.
 */
export class HistoryForwarding {
  private readonly request = new AsyncLocalStorage<ClientRequest>();
  /** Per client session: which upstream session issued each continuation point it holds (by hex). */
  private readonly points = new WeakMap<object, Map<string, ClientSession>>();

  constructor(
    private readonly pair: PairRuntime,
    private readonly ids: UpstreamIds,
    private readonly users: EndpointUsers,
  ) {}

  /** Prepares the endpoint's HistoryRead service for the forwarding of its mirrored variables. */
  attach(server: OPCUAServer): void {
    // A client that checks the server's capabilities before asking for history (node-opcua says false) learns that this one passes it on.
    server.engine.historyServerCapabilities.accessHistoryDataCapability = true;
    // node-opcua hands a variable's history read neither the request's TimestampsToReturn nor its
    // session in a usable form: each variable's read finds its request in the async context.
    aroundHistoryRead(server.engine, (run, context, request) => {
      const clientRequest: ClientRequest = {
        timestampsToReturn: request.timestampsToReturn,
        releaseContinuationPoints: request.releaseContinuationPoints,
        session: context.session ?? server.engine,
        reads: [],
      };
      return this.request.run(clientRequest, run);
    });
  }

  /** Must follow the variable's bindVariable, which resets its history read to node-opcua's default. */
  bind(variable: UAVariable): void {
    const forward: HistoryReadFunc = (_context, details, indexRange, dataEncoding, continuationData, callback) => {
      const request = this.request.getStore();
      if (!request) {
        callback(null, new HistoryReadResult({ statusCode: StatusCodes.BadInternalError }));
        return;
      }
      if (request.reads.length === 0) setImmediate(() => void this.flush(request));
      request.reads.push({
        variable,
        details,
        indexRange,
        dataEncoding,
        continuationPoint: continuationData.continuationPoint ?? undefined,
        done: (result) => callback(null, result),
      });
    };
    forwardHistoryReads(variable, forward);
  }

  private async flush(request: ClientRequest): Promise<void> {
    const reads = request.reads.splice(0);
    const session = await actingSession(this.pair, this.users, request.session);
    if (!isSession(session)) {
      for (const read of reads) read.done(status(session));
      return;
    }
    const issued = this.issuedPoints(request.session);
    const groups = new Map<Details, NodeRead[]>();
    for (const read of reads) {
      if (read.continuationPoint) {
        const key = read.continuationPoint.toString("hex");
        const issuer = issued.get(key);
        issued.delete(key);
        if (issuer !== session) {
          read.done(status(StatusCodes.BadContinuationPointInvalid));
          continue;
        }
      }
      // Raw, modified and at-time details are one object for the whole request; processed ones are one per node.
      const group = groups.get(read.details) ?? [];
      group.push(read);
      groups.set(read.details, group);
    }
    await Promise.all([...groups].map(([details, group]) => this.send(session, request, details, group, issued)));
  }

  private async send(session: ClientSession, request: ClientRequest, details: Details, reads: NodeRead[], issued: Map<string, ClientSession>): Promise<void> {
    for (let i = 0; i < reads.length; i += HISTORY_READ_CHUNK) {
      const part = reads.slice(i, i + HISTORY_READ_CHUNK);
      try {
        const nodeIds = await Promise.all(part.map((r) => this.ids.toUpstream(r.variable.nodeId, session)));
        const response = await session.historyRead(
          new HistoryReadRequest({
            historyReadDetails: details,
            timestampsToReturn: request.timestampsToReturn,
            releaseContinuationPoints: request.releaseContinuationPoints,
            nodesToRead: part.map((r, j) => ({
              nodeId: nodeIds[j],
              indexRange: r.indexRange ?? undefined,
              dataEncoding: r.dataEncoding ?? undefined,
              continuationPoint: r.continuationPoint,
            })),
          }),
        );
        part.forEach((read, j) => {
          const result = response.results?.[j] ?? status(StatusCodes.BadUnexpectedError);
          if (result.continuationPoint?.length) remember(issued, result.continuationPoint.toString("hex"), session);
          read.done(result);
        });
      } catch {
        // The session failed under the request (a failover in progress) or the upstream refused the request as a whole.
        for (const read of part) read.done(status(StatusCodes.BadCommunicationError));
      }
    }
  }

  private issuedPoints(clientSession: object): Map<string, ClientSession> {
    let issued = this.points.get(clientSession);
    if (!issued) {
      issued = new Map();
      this.points.set(clientSession, issued);
    }
    return issued;
  }
}

function remember(issued: Map<string, ClientSession>, point: string, session: ClientSession): void {
  issued.set(point, session);
  if (issued.size > MAX_POINTS_PER_SESSION) issued.delete(issued.keys().next().value!);
}

function status(statusCode: StatusCode): HistoryReadResult {
  return new HistoryReadResult({ statusCode });
}
