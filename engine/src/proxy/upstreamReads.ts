import { AttributeIds, DataValue, StatusCodes, type ClientSession, type NodeId } from "node-opcua";
import { chunks } from "../upstream/operationLimits";
import type { UpstreamIds } from "./upstreamIds";

/** Stays below the operation limits of any server seen so far (node-opcua's default is 10,000). */
const READ_CHUNK = 1000;

/**
 * Reads of mirrored values on the active side. node-opcua asks for each variable of a Read
 * request separately; the reads asked for within one turn of the event loop go upstream as one
 * Read (chunked), so a client's Read of 1,000 nodes costs one round trip, not 1,000.
 */
export class UpstreamReads {
  private pending: { nodeId: NodeId; done: (value: DataValue) => void }[] = [];

  constructor(
    private readonly activeSession: () => ClientSession | undefined,
    private readonly ids: UpstreamIds,
  ) {}

  /** The value on the active side; never rejects (a failure is a Bad DataValue). */
  read(nodeId: NodeId): Promise<DataValue> {
    return new Promise((done) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ nodeId, done });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const session = this.activeSession();
    if (!session) {
      for (const r of batch) r.done(new DataValue({ statusCode: StatusCodes.BadNoCommunication, sourceTimestamp: new Date() }));
      return;
    }
    for (const part of chunks(batch, READ_CHUNK)) {
      try {
        const nodeIds = await Promise.all(part.map((r) => this.ids.toUpstream(r.nodeId, session)));
        const values = await session.read(nodeIds.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })));
        part.forEach((r, i) => r.done(values[i]));
      } catch {
        for (const r of part) r.done(new DataValue({ statusCode: StatusCodes.BadCommunicationError, sourceTimestamp: new Date() }));
      }
    }
  }
}
