import {
  AttributeIds,
  EventFilter,
  MethodIds,
  MonitoringMode,
  StatusCodes,
  makeNodeId,
  type AddressSpace,
  type ISessionContext,
  type MonitoredItem,
  type OPCUAServer,
  type StatusCode,
  type UAMethod,
  type Variant,
} from "node-opcua";
import { enqueueEvent } from "../opcuaInternals";
import type { ForwardedEventHandle, PairRuntime } from "../pair/pairRuntime";
import { eventFieldsFor, eventFilterFor } from "./eventNamespaces";
import { followMonitoredItems } from "./monitoredItems";
import type { UpstreamIds } from "./upstreamIds";

/**
 * The Condition methods a client calls on a Condition (Part 9): declared on the standard types,
 * so the proxy's own declarations answer when the mirrored Condition lacks the component. They
 * act on the upstream's Condition, so they are forwarded like the mirrored methods.
 */
const CONDITION_METHODS = [
  "ConditionType_Enable",
  "ConditionType_Disable",
  "ConditionType_AddComment",
  "AcknowledgeableConditionType_Acknowledge",
  "AcknowledgeableConditionType_Confirm",
  "AlarmConditionType_Suppress",
  "AlarmConditionType_Unsuppress",
  "AlarmConditionType_RemoveFromService",
  "AlarmConditionType_PlaceInService",
  "AlarmConditionType_Reset",
  "ShelvedStateMachineType_TimedShelve",
  "ShelvedStateMachineType_Unshelve",
  "ShelvedStateMachineType_OneShotShelve",
] as const;

/**
 * Forwards events (Alarms & Conditions) to the endpoint's clients: each event item a client
 * creates (on the Server object or a mirrored notifier) becomes an event item of the pair with
 * the same notifier and filter on the active side, and the upstream's event fields go into the
 * client's item as they arrive, so EventIds stay the upstream's and Acknowledge works on them.
 * ConditionRefresh and ConditionRefresh2 on the proxy pass the refresh on to those items.
 */
export class EventForwarding {
  private readonly handles = new Map<MonitoredItem, ForwardedEventHandle>();

  constructor(
    private readonly pair: PairRuntime,
    private readonly ids: UpstreamIds,
  ) {}

  attach(server: OPCUAServer): void {
    followMonitoredItems(server, {
      added: (item, itemToMonitor) => {
        if (itemToMonitor.attributeId === AttributeIds.EventNotifier) this.watch(item);
      },
      removed: (item) => this.unwatch(item),
    });
  }

  /** Binds the proxy's standard Condition methods: the refresh to the pair's event items, the others to the active side via `forward`. */
  bindConditionMethods(addressSpace: AddressSpace, forward: (method: UAMethod) => void): void {
    const method = (id: number) => addressSpace.findNode(makeNodeId(id)) as UAMethod | null;
    method(MethodIds.ConditionType_ConditionRefresh)?.bindMethod(async (args: Variant[], context: ISessionContext) => ({
      statusCode: await this.refresh(context, args[0]?.value),
    }));
    method(MethodIds.ConditionType_ConditionRefresh2)?.bindMethod(async (args: Variant[], context: ISessionContext) => ({
      statusCode: await this.refresh(context, args[0]?.value, args[1]?.value ?? -1),
    }));
    for (const name of CONDITION_METHODS) {
      const declared = (MethodIds as unknown as Record<string, number | undefined>)[name];
      const node = declared === undefined ? null : method(declared);
      if (node) forward(node);
    }
  }

  dispose(): void {
    for (const handle of this.handles.values()) handle.remove();
    this.handles.clear();
  }

  private watch(item: MonitoredItem): void {
    const notifier = item.node?.nodeId;
    const filter = item.filter;
    if (!notifier || !(filter instanceof EventFilter)) return;
    const handle = this.pair.events.add({
      on: async (session) => {
        const namespaces = await this.ids.namespaces(session);
        return {
          nodeId: await this.ids.toUpstream(notifier, session),
          filter: eventFilterFor(filter, namespaces.toUpstream),
          queueSize: item.queueSize,
          discardOldest: item.discardOldest,
          onEvent: (fields) => {
            if (this.handles.get(item) !== handle || item.monitoringMode === MonitoringMode.Disabled) return;
            enqueueEvent(item, eventFieldsFor(fields, namespaces.toProxy));
          },
        };
      },
    });
    this.handles.set(item, handle);
  }

  private unwatch(item: MonitoredItem): void {
    this.handles.get(item)?.remove();
    this.handles.delete(item);
  }

  /** The refresh of one client subscription (ConditionRefresh) or of one of its items (ConditionRefresh2). */
  private async refresh(context: ISessionContext, subscriptionId: number, monitoredItemId?: number): Promise<StatusCode> {
    const session = context.session as { getSubscription?(id: number): unknown } | undefined;
    const subscription = session?.getSubscription?.(subscriptionId);
    if (!subscription) return StatusCodes.BadSubscriptionIdInvalid;
    const targets = [...this.handles]
      .filter(([item]) => item.$subscription === subscription && (monitoredItemId === undefined || item.monitoredItemId === monitoredItemId))
      .map(([, handle]) => handle);
    if (monitoredItemId !== undefined && targets.length === 0) return StatusCodes.BadMonitoredItemIdInvalid;
    const results = await Promise.all(targets.map((handle) => handle.refresh()));
    return results.find((status) => status.isNotGood()) ?? StatusCodes.Good;
  }
}
