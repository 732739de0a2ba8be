import { AttributeIds, ClientMonitoredItem, TimestampsToReturn, type ClientSubscription, type DataValue } from "node-opcua";
import type { MonitoringConfig } from "../config/model";
import type { MonitorItemSnapshot } from "../control/protocol";
import type { SideEventKind } from "../events/catalog";
import type { UpstreamSession } from "../upstream/upstreamSession";
import { planItem, type MonitorPlan } from "./monitorPlan";
import { judgeQuality, judgeValue, noDataChangeVerdict, type Verdict } from "./triggers";

export interface SideMonitorHooks {
  /** A per-side event of this side (monitorItemAddFailed, monitorItemArrayData, monitorTriggerAdjusted). */
  post(kind: SideEventKind, fields: Record<string, string | number>): void;
  /** The side's test result, after every change once all items have reported; the state machine keeps only transitions. */
  result(passed: boolean): void;
  changed(): void;
  /** A config item id as this side's session numbers it (config ids are in the primary's numbering); undefined when this side lacks its namespace. */
  nodeIdOf(id: string): Promise<string | undefined>;
}

/**
 * What a side has already said about its items, kept across reconnects so that an item that
 * fails to add again, or keeps sending arrays, is posted once per transition and not per session.
 */
export class PostedOnce {
  private readonly said = new Set<string>();

  /** True the first time a key is said since it was last cleared. */
  first(key: string): boolean {
    if (this.said.has(key)) return false;
    this.said.add(key);
    return true;
  }

  clear(key: string): void {
    this.said.delete(key);
  }
}

interface ItemState {
  plan: MonitorPlan;
  verdict: Verdict;
  /** Has reported once: added and given its first value, or failed to add. */
  settled: boolean;
  added: boolean;
  silence?: NodeJS.Timeout;
  monitored?: ClientMonitoredItem;
}

/** How long the first test waits for items that neither report nor fail. */
const SETTLE_LIMIT_MS = 3000;

/**
 * One side's monitor items (the first seed's Monitoring Settings): subscribed on that side's
 * session, judged by their triggers, counted against the failure count. Each side has its own.
 */
export class SideMonitor {
  private readonly items: ItemState[];
  private subscription: ClientSubscription | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private tested = false;
  private closed = false;

  constructor(
    upstream: UpstreamSession,
    private readonly monitoring: MonitoringConfig,
    private readonly hooks: SideMonitorHooks,
    private readonly posted: PostedOnce,
  ) {
    this.items = monitoring.items.map((config) => ({ plan: planItem(config), verdict: { inError: false }, settled: false, added: false }));
    for (const item of this.items) {
      if (item.plan.adjusted && posted.first(`adjusted ${item.plan.config.id}`)) {
        hooks.post("monitorTriggerAdjusted", { item: item.plan.config.id, value: item.plan.noDataChangeMs! });
      }
    }
    this.settleTimer = setTimeout(() => this.settleAll(), SETTLE_LIMIT_MS);
    void this.subscribe(upstream);
  }

  snapshot(): MonitorItemSnapshot[] {
    return this.items.map((i) => ({
      id: i.plan.config.id,
      trigger: i.plan.config.trigger,
      inError: i.settled && i.verdict.inError,
      ...(i.settled ? {} : { unknown: true as const }),
      ...(i.settled && i.verdict.reason ? { reason: i.verdict.reason } : {}),
    }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.settleTimer);
    for (const item of this.items) clearTimeout(item.silence);
    const subscription = this.subscription;
    this.subscription = undefined;
    if (!subscription) return;
    subscription.removeAllListeners();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([subscription.terminate().catch(() => undefined), new Promise((done) => (timer = setTimeout(done, 1000)))]);
    clearTimeout(timer);
  }

  private async subscribe(upstream: UpstreamSession): Promise<void> {
    const fastest = Math.min(...this.items.map((i) => i.plan.config.updateRateMs));
    let subscription: ClientSubscription;
    try {
      subscription = await upstream.subscribe(Math.max(fastest, 50));
    } catch {
      for (const item of this.items) this.addFailed(item);
      return;
    }
    if (this.closed) {
      void subscription.terminate().catch(() => undefined);
      return;
    }
    this.subscription = subscription;
    for (const item of this.items) void this.monitor(subscription, item);
  }

  private async monitor(subscription: ClientSubscription, item: ItemState): Promise<void> {
    const config = item.plan.config;
    const nodeId = await this.hooks.nodeIdOf(config.id).catch(() => undefined);
    if (this.closed) return;
    if (!nodeId) return this.addFailed(item);
    let monitored: ClientMonitoredItem;
    try {
      monitored = ClientMonitoredItem.create(
        subscription,
        { nodeId, attributeId: AttributeIds.Value },
        { samplingInterval: config.updateRateMs, queueSize: 1, discardOldest: true },
        TimestampsToReturn.Both,
      );
    } catch {
      this.addFailed(item);
      return;
    }
    item.monitored = monitored;
    monitored.on("err", () => this.addFailed(item));
    monitored.on("initialized", () => {
      if (this.closed) return;
      item.added = true;
      this.posted.clear(`addFailed ${config.id}`);
      if (item.plan.noDataChangeMs !== undefined) this.heardFrom(item);
    });
    monitored.on("changed", (value: DataValue) => {
      if (this.closed) return;
      try {
        this.received(item, value);
      } catch {
        // A value the triggers cannot read changes nothing; the next one is judged again.
      }
    });
  }

  private received(item: ItemState, value: DataValue): void {
    const plan = item.plan;
    if (plan.noDataChangeMs !== undefined) return this.heardFrom(item);
    const verdict = plan.config.trigger === "badQuality" ? judgeQuality(value) : judgeValue(plan, value);
    if (verdict.arrayData) {
      if (this.posted.first(`array ${plan.config.id}`)) this.hooks.post("monitorItemArrayData", { item: plan.config.id });
    } else {
      this.posted.clear(`array ${plan.config.id}`);
    }
    this.judge(item, verdict);
  }

  /** noDataChange: a change (or the first value) clears the item and restarts its silence timer. */
  private heardFrom(item: ItemState): void {
    clearTimeout(item.silence);
    const period = item.plan.noDataChangeMs!;
    item.silence = setTimeout(() => {
      if (!this.closed) this.judge(item, noDataChangeVerdict(period));
    }, period);
    this.judge(item, { inError: false });
  }

  private addFailed(item: ItemState): void {
    if (this.closed || item.added) return;
    clearTimeout(item.silence);
    if (this.posted.first(`addFailed ${item.plan.config.id}`)) this.hooks.post("monitorItemAddFailed", { item: item.plan.config.id });
    this.judge(item, { inError: true, reason: "could not be added" });
  }

  private judge(item: ItemState, verdict: Verdict): void {
    const changed = !item.settled || item.verdict.inError !== verdict.inError || item.verdict.reason !== verdict.reason;
    item.verdict = verdict;
    item.settled = true;
    if (changed) this.evaluate();
  }

  private settleAll(): void {
    if (this.closed) return;
    for (const item of this.items) item.settled = true;
    this.evaluate();
  }

  private evaluate(): void {
    this.hooks.changed();
    if (!this.tested && !this.items.every((i) => i.settled)) return;
    this.tested = true;
    clearTimeout(this.settleTimer);
    const inError = this.items.filter((i) => i.verdict.inError).length;
    this.hooks.result(inError < this.monitoring.failureCount);
  }
}
