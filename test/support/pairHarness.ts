import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttributeIds, ClientMonitoredItem, OPCUACertificateManager, OPCUAClient, TimestampsToReturn, type ClientSession, type DataValue } from "node-opcua";
import type { ConnectionMode, MonitorItemConfig, ServerPairConfig } from "../../engine/src/config/model";
import type { Side } from "../../engine/src/events/catalog";
import { createPair, type Pair } from "../../engine/src/pair/pair";
import { SimProcess } from "../../engine/src/sim/simProcess";

export interface PostedEvent {
  id: string;
  kind: string;
  side?: Side;
  fields: Record<string, string | number>;
  at: number;
}

export interface Received {
  value: number;
  /** Which side was active when the value arrived. */
  active: Side | null;
  at: number;
  sourceTime: number;
}

export interface HarnessOptions {
  mode: ConnectionMode;
  /** Two free ports in 42700–42899, one per sim. */
  ports: [number, number];
  alwaysReconnectToPrimary?: boolean;
  statusIntervalMs?: number;
  statusTimeoutMs?: number;
  items?: MonitorItemConfig[];
  failureCount?: number;
}

export const COUNTER = "ns=2;s=Counter";

export function pairConfig(o: HarnessOptions, urls: [string, string]): ServerPairConfig {
  return {
    name: `test.${o.mode}`,
    effectiveName: `test.${o.mode}`,
    port: 0,
    primary: { host: "primary-host", url: urls[0] },
    secondary: { host: "secondary-host", url: urls[1] },
    connection: {
      mode: o.mode,
      alwaysReconnectToPrimary: o.alwaysReconnectToPrimary ?? true,
      statusIntervalMs: o.statusIntervalMs ?? 500,
      statusTimeoutMs: o.statusTimeoutMs ?? 400,
    },
    security: { mode: "None", policy: "None" },
    monitoring: { failureCount: o.failureCount ?? 1, items: o.items ?? [] },
  };
}

/**
 * Two real simulated servers and a pair between them, as the engine host would run it: every
 * posted event and every forwarded Counter value is recorded with the side active at the time.
 */
export class PairHarness {
  readonly events: PostedEvent[] = [];
  readonly received: Received[] = [];
  changes = 0;
  pair!: Pair;
  private readonly direct: OPCUAClient[] = [];

  private constructor(readonly primary: SimProcess, readonly secondary: SimProcess, readonly options: HarnessOptions) {}

  static async start(options: HarnessOptions): Promise<PairHarness> {
    const [primary, secondary] = await Promise.all([
      SimProcess.start({ port: options.ports[0], identity: "primary" }),
      SimProcess.start({ port: options.ports[1], identity: "secondary" }),
    ]);
    const harness = new PairHarness(primary, secondary, options);
    harness.pair = createPair(pairConfig(options, [primary.url, secondary.url]), {
      postEvent: (e) => harness.events.push({ id: e.side ? `${e.kind}.${e.side}` : e.kind, kind: e.kind, side: e.side, fields: e.fields, at: Date.now() }),
      onChanged: () => harness.changes++,
    });
    return harness;
  }

  /** Starts the pair and subscribes to the Counter through it. */
  async run(): Promise<void> {
    await this.pair.start();
    this.pair.data.add(COUNTER, { samplingInterval: 50, queueSize: 10, discardOldest: true }, (dv: DataValue) => {
      this.received.push({ value: Number(dv.value.value), active: this.pair.active, at: Date.now(), sourceTime: dv.sourceTimestamp?.getTime() ?? 0 });
    });
  }

  sim(side: Side): SimProcess {
    return side === "primary" ? this.primary : this.secondary;
  }

  count(id: string): number {
    return this.events.filter((e) => e.id === id).length;
  }

  ids(): string[] {
    return this.events.map((e) => e.id);
  }

  /** Resolves once `check` holds, polling; rejects with `what` and the events so far after timeoutMs. */
  async until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${this.ids().join(", ")}; status ${this.pair.snapshot().status}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async activeIs(side: Side | null, timeoutMs?: number): Promise<void> {
    await this.until(`active ${side}`, () => this.pair.active === side, timeoutMs);
  }

  /** Values received since `since` (ms epoch). */
  valuesSince(since: number): Received[] {
    return this.received.filter((r) => r.at >= since);
  }

  /** Waits for the first Counter value after `since` that arrived while `side` was active; returns its arrival time. */
  async firstValueFrom(side: Side, since: number, timeoutMs?: number): Promise<number> {
    let found: Received | undefined;
    await this.until(`a value from ${side}`, () => !!(found = this.received.find((r) => r.at >= since && r.active === side)), timeoutMs);
    return found!.at;
  }

  /**
   * The Counter as a plain client of one sim sees it, beside the pair: the truth the forwarded
   * stream is compared with. Returns the list it fills.
   */
  async watchDirect(side: Side): Promise<number[]> {
    const values: number[] = [];
    const { client, session } = await directSession(this.sim(side).url);
    this.direct.push(client);
    const subscription = await session.createSubscription2({ requestedPublishingInterval: 50, publishingEnabled: true, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 100 });
    const item = ClientMonitoredItem.create(subscription, { nodeId: COUNTER, attributeId: AttributeIds.Value }, { samplingInterval: 50, queueSize: 10, discardOldest: true }, TimestampsToReturn.Both);
    item.on("changed", (dv: DataValue) => values.push(Number(dv.value.value)));
    return values;
  }

  async close(): Promise<void> {
    await this.pair.stop();
    await Promise.all(this.direct.map((c) => c.disconnect().catch(() => undefined)));
    await Promise.all([this.primary.close(), this.secondary.close()]);
  }
}

async function directSession(url: string): Promise<{ client: OPCUAClient; session: ClientSession }> {
  const clientCertificateManager = new OPCUACertificateManager({ rootFolder: join(tmpdir(), "redundancymaster-pki", "test-direct"), automaticallyAcceptUnknownCertificate: true });
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager });
  await client.connect(url);
  return { client, session: await client.createSession() };
}

/** Sessions a sim holds besides the one this asks with (ServerDiagnosticsSummary.CurrentSessionCount). */
export async function sessionCount(url: string): Promise<number> {
  const { client, session } = await directSession(url);
  try {
    const dv = await session.read({ nodeId: "i=2277", attributeId: AttributeIds.Value });
    return Number(dv.value.value) - 1;
  } finally {
    await client.disconnect();
  }
}
