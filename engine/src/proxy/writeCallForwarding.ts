import { AttributeIds, StatusCodes, type DataValue, type ISessionContext, type NumericRange, type StatusCode, type UAMethod, type UAVariable, type Variant } from "node-opcua";
import type { PairRuntime } from "../pair/pairRuntime";
import { forwardWrites } from "../opcuaInternals";
import { actingSession, isSession } from "./actingSession";
import type { EndpointUsers } from "./endpointUsers";
import type { UpstreamIds } from "./upstreamIds";

/**
 * Forwards Write and Call on mirrored nodes to the pair's active side, as the client's user where
 * it logged in as one (actingSession): the upstream's status is the answer, and nothing is written
 * locally, so a value the upstream refused never shows at the endpoint.
 */
export class WriteCallForwarding {
  constructor(
    private readonly pair: PairRuntime,
    private readonly ids: UpstreamIds,
    private readonly users: EndpointUsers,
  ) {}

  bindWrite(variable: UAVariable): void {
    forwardWrites(variable, (context, dataValue, indexRange) => this.write(variable, dataValue, indexRange, context));
  }

  bindMethod(method: UAMethod): void {
    method.bindMethod(async (inputArguments: Variant[], context: ISessionContext) => this.call(method, inputArguments, context));
  }

  private async write(variable: UAVariable, dataValue: DataValue, indexRange: NumericRange | null, context: ISessionContext): Promise<StatusCode> {
    try {
      const session = await actingSession(this.pair, this.users, context.session);
      if (!isSession(session)) return session;
      const nodeId = await this.ids.toUpstream(variable.nodeId, session);
      return await session.write({ nodeId, attributeId: AttributeIds.Value, value: dataValue, indexRange: indexRange ?? undefined });
    } catch {
      return StatusCodes.BadCommunicationError;
    }
  }

  private async call(method: UAMethod, inputArguments: Variant[], context: ISessionContext) {
    const objectId = context.object?.nodeId;
    if (!objectId) return { statusCode: StatusCodes.BadNodeIdInvalid };
    try {
      const session = await actingSession(this.pair, this.users, context.session);
      if (!isSession(session)) return { statusCode: session };
      const result = await session.call({
        objectId: await this.ids.toUpstream(objectId, session),
        methodId: await this.ids.toUpstream(method.nodeId, session),
        inputArguments,
      });
      return { statusCode: result.statusCode, outputArguments: result.outputArguments ?? [] };
    } catch {
      return { statusCode: StatusCodes.BadCommunicationError };
    }
  }
}
