import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttributeIds, ClientMonitoredItem, OPCUACertificateManager, OPCUAClient, TimestampsToReturn, type ClientSession, type DataValue } from "node-opcua";
import type { ConnectionMode, MonitorItemConfig, ServerPairConfig } from "../../engine/src/config/model";
import type { Side } from "../../engine/src/events/catalog";
import { createPair, type Pair } from "../../engine/src/pair/pair";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { SIM_NAMESPACE, SimNodes } from "../../engine/src/sim/simServer";
import { reservePort } from "./portReservation";
import { startSims } from "./startSims";

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
  alwaysReconnectToPrimary?: boolean;
  statusIntervalMs?: number;
  statusTimeoutMs?: number;
  items?: MonitorItemConfig[];
  failureCount?: number;
  /** Flap damping; off unless a test is about it, so that tests that fail a primary again and again see every failback. */
  failbackHoldDownMs?: number;
}

/** The sims' Counter on a sim (whose own namespace is index 2), and by identity for the pair, which numbers it per side. */
export const COUNTER = "ns=2;s=Counter";
export const COUNTER_IDENTITY = `nsu=${SIM_NAMESPACE};s=${SimNodes.counter}`;

export function pairConfig(o: HarnessOptions, urls: [string, string]): ServerPairConfig {
  return {
    name: `test.${o.mode}`,
    effectiveName: `test.${o.mode}`,
    port: 0,
    listen: "127.0.0.1",
    allowUnsecuredAnonymous: false,
    primary: { host: "primary-host", url: urls[0] },
    secondary: { host: "secondary-host", url: urls[1] },
    connection: {
      mode: o.mode,
      alwaysReconnectToPrimary: o.alwaysReconnectToPrimary ?? true,
      statusIntervalMs: o.statusIntervalMs ?? 500,
      // Generous: the test machine is shared, and a slow answer under load is not a hang.
      statusTimeoutMs: o.statusTimeoutMs ?? 1000,
      failbackHoldDownMs: o.failbackHoldDownMs ?? 0,
    },
    security: { mode: "None", policy: "None", trustPolicy: "firstUse" },
    monitoring: { failureCount: o.failureCount ?? 1, items: o.items ?? [] },
    clientLimits: { maxSessions: 100, maxConnections: 100, maxSessionTimeoutMs: 60_000 },
  };
}

/** Runs `body` with a started harness and always closes it (sims and pair), whatever the body does. */
export async function withPair(options: HarnessOptions, body: (h: PairHarness) => Promise<void>): Promise<void> {
  const h = await PairHarness.start(options);
  try {
    await body(h);
  } finally {
    h.primary.signal("SIGCONT");
    await h.close();
  }
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

  private constructor(
    readonly primary: SimProcess,
    readonly secondary: SimProcess,
    readonly options: HarnessOptions,
  ) {}

  static async start(options: HarnessOptions): Promise<PairHarness> {
    const [primary, secondary] = await startSimPair();
    const harness = new PairHarness(primary, secondary, options);
    harness.pair = createPair(pairConfig(options, [primary.url, secondary.url]), {
      postEvent: (e) => harness.events.push({ id: e.side ? `${e.kind}.${e.side}` : e.kind, kind: e.kind, side: e.side, fields: e.fields, at: Date.now() }),
      onChanged: () => harness.changes++,
    });
    return harness;
  }

  /** Starts the pair and subscribes to the Counter through it; the Counter's values are recorded (not the Bad statuses of an outage). */
  async run(): Promise<void> {
    await this.pair.start();
    this.pair.data.add(COUNTER_IDENTITY, { samplingInterval: 50, queueSize: 10, discardOldest: true }, (dv: DataValue) => {
      if (!dv.statusCode.isGood()) return;
      this.received.push({ value: Number(dv.value.value), active: this.pair.active, at: Date.now(), sourceTime: dv.sourceTimestamp?.getTime() ?? 0 });
    });
  }

  sim(side: Side): SimProcess {
    return side === "primary" ? this.primary : this.secondary;
  }

  /** How often an event was posted (since `since`, ms epoch, when given). */
  count(id: string, since = 0): number {
    return this.events.filter((e) => e.id === id && e.at >= since).length;
  }

  ids(): string[] {
    return this.events.map((e) => e.id);
  }

  /** The events with their details and times, for assertion messages. */
  story(): string {
    const t0 = this.events[0]?.at ?? 0;
    return this.events.map((e) => `+${e.at - t0}ms ${e.id}${e.fields.detail ? ` (${e.fields.detail})` : ""}`).join("; ");
  }

  /** Resolves once `check` holds, polling; rejects with `what` and the events so far after timeoutMs. */
  async until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${this.story()}; status ${this.pair.snapshot().status}`);
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

/**
 * A primary and a secondary sim on free ports. Parallel test files probe ports on their own, so a
 * port can be taken between one file's probe and its sim's bind: then it starts again on others.
 */
async function startSimPair(): Promise<SimProcess[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startSims([
        { port: await freePort(), identity: "primary" },
        { port: await freePort(), identity: "secondary" },
      ]);
    } catch (err) {
      if (attempt >= 5 || !/EADDRINUSE/.test(String(err))) throw err;
    }
  }
}

/**
 * A port of the tests' range (22700–22899) that nothing listens on and no other test process has
 * claimed, picked at random so that two runs of the suite on one machine rarely collide. It stays
 * this process's for its life, so a sim a test killed keeps its port until it is restarted.
 * Every test port lies below Linux's ephemeral range (32768–60999): there, the local port of some
 * outgoing connection could take a killed sim's port and its restart would fail with EADDRINUSE.
 * And below 24000, where the demo (run beside the tests) picks its ports.
 */
async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = 22700 + Math.floor(Math.random() * 200);
    if (!reservePort(port)) continue;
    const free = await new Promise<boolean>((done) => {
      const server = createServer();
      server.once("error", () => done(false));
      server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
    });
    if (free) return port;
  }
  throw new Error("no free port in 22700–22899");
}

async function directSession(url: string): Promise<{ client: OPCUAClient; session: ClientSession }> {
  const clientCertificateManager = new OPCUACertificateManager({ rootFolder: join(tmpdir(), "redundancymaster-pki", "test-direct"), automaticallyAcceptUnknownCertificate: true });
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager });
  await client.connect(url);
  return { client, session: await client.createSession() };
}

/** Sessions and subscriptions a sim holds, besides the session this asks with (ServerDiagnosticsSummary). */
export async function serverLoad(url: string): Promise<{ sessions: number; subscriptions: number }> {
  const { client, session } = await directSession(url);
  try {
    const [sessions, subscriptions] = await session.read([
      { nodeId: "i=2277", attributeId: AttributeIds.Value },
      { nodeId: "i=2285", attributeId: AttributeIds.Value },
    ]);
    return { sessions: Number(sessions.value.value) - 1, subscriptions: Number(subscriptions.value.value) };
  } finally {
    await client.disconnect();
  }
}
