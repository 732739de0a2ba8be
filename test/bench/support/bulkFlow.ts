import { AttributeIds, TimestampsToReturn, type ClientMonitoredItemBase, type ClientSession, type DataValue } from "node-opcua";
import { SimNodes } from "../../../engine/src/sim/simServer";

/**
 * What a plant's HMI or historian asks for: every bulk item in one subscription, sampling 1000 ms,
 * queue 10, publishing 100 ms (the request issue 17 measured with). The sims give all their bulk
 * items one source timestamp a round, so a round's timestamp tells which values it produced.
 */
export const PLANT_REQUEST = { samplingInterval: 1000, queueSize: 10, publishingInterval: 100 } as const;

const PER_CALL = 1000;

export interface BulkFlow {
  /** Values received so far whose source time is one of `rounds`, each (item, round) counted once. */
  deliveredOf(rounds: ReadonlySet<number>): number;
  /** From now on, keep how long after its source time each value arrived. */
  recordAges(): void;
  /** Those ages so far, in ms. */
  ages(): readonly number[];
}

/** Subscribes to bulk items 0 … items-1 with PLANT_REQUEST and keeps, per item, the source times it received. */
export async function subscribeBulk(session: ClientSession, ns: number, items: number): Promise<BulkFlow> {
  const subscription = await session.createSubscription2({
    requestedPublishingInterval: PLANT_REQUEST.publishingInterval,
    publishingEnabled: true,
    requestedMaxKeepAliveCount: 20,
    requestedLifetimeCount: 1200,
    maxNotificationsPerPublish: 0,
  });
  // Per round (source time), how many distinct items delivered it: a repeat of an item's last value is not counted twice.
  const perRound = new Map<number, number>();
  const last = new Float64Array(items);
  let ages: number[] | undefined;
  // In requests of 1,000 items: node-opcua servers answer more in one call with BadTooManyOperations (its default MaxMonitoredItemsPerCall).
  for (let first = 0; first < items; first += PER_CALL) {
    const count = Math.min(PER_CALL, items - first);
    const group = await subscription.monitorItems(
      Array.from({ length: count }, (_, i) => ({ nodeId: `ns=${ns};s=${itemName(first + i)}`, attributeId: AttributeIds.Value })),
      { samplingInterval: PLANT_REQUEST.samplingInterval, queueSize: PLANT_REQUEST.queueSize, discardOldest: true },
      TimestampsToReturn.Both,
    );
    group.on("changed", (_item: ClientMonitoredItemBase, dv: DataValue, index: number) => {
      const at = dv.sourceTimestamp?.getTime();
      if (at === undefined || !dv.statusCode.isGood() || at === last[first + index]) return;
      last[first + index] = at;
      ages?.push(Date.now() - at);
      perRound.set(at, (perRound.get(at) ?? 0) + 1);
    });
  }
  return {
    deliveredOf(rounds) {
      let n = 0;
      for (const round of rounds) n += perRound.get(round) ?? 0;
      return n;
    },
    recordAges() {
      ages = [];
    },
    ages: () => ages ?? [],
  };
}

/** The source times of a sim's rounds of bulk values, as a direct client of one item sees them. */
export async function watchRounds(session: ClientSession, ns: number): Promise<number[]> {
  const rounds: number[] = [];
  const subscription = await session.createSubscription2({
    requestedPublishingInterval: 100,
    publishingEnabled: true,
    requestedMaxKeepAliveCount: 20,
    requestedLifetimeCount: 1200,
    maxNotificationsPerPublish: 0,
  });
  const item = await subscription.monitor(
    { nodeId: `ns=${ns};s=${itemName(0)}`, attributeId: AttributeIds.Value },
    { samplingInterval: 0, queueSize: 10, discardOldest: true },
    TimestampsToReturn.Both,
  );
  item.on("changed", (dv: DataValue) => {
    const at = dv.sourceTimestamp?.getTime();
    if (at !== undefined && at !== rounds.at(-1)) rounds.push(at);
  });
  return rounds;
}

export function itemName(index: number): string {
  return `${SimNodes.items}${String(index).padStart(4, "0")}`;
}
