import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttributeIds, OPCUAClient, TimestampsToReturn, type ClientSession, type ClientSubscription, type DataValue, type OPCUAClientOptions, type UserIdentityInfo } from "node-opcua";
import type { ConnectionMode, ServerPairConfig } from "../../engine/src/config/model";
import type { Side } from "../../engine/src/events/catalog";
import { createPair, type Pair } from "../../engine/src/pair/pair";
import { startPairEndpoint, type PairEndpoint } from "../../engine/src/proxy/pairEndpoint";
import { SimProcess } from "../../engine/src/sim/simProcess";
import { SIM_NAMESPACE } from "../../engine/src/sim/simServer";
import type { SimUser } from "../../engine/src/sim/simUsers";
import { pairConfig, type PostedEvent } from "./pairHarness";

export interface ProxyFixtureOptions {
  mode: ConnectionMode;
  /** Primary sim, secondary sim, endpoint: three free ports in 23000–23199. */
  ports: [number, number, number];
  items?: number;
  /** How often the bulk items change (the sims' 10 Hz by default). */
  itemRateHz?: number;
  primaryExtra?: string[];
  secondaryExtra?: string[];
  /** Namespaces each sim registers before its own, so that the two number the plant's namespace differently. */
  primaryNamespacesBefore?: string[];
  secondaryNamespacesBefore?: string[];
  /** The users both sims accept (anonymous sessions refused); the pair's `config.security` must name one. */
  simUsers?: SimUser[];
  /** Overrides of the pair's config (name, alias, …). */
  config?: Partial<ServerPairConfig>;
  /** Defaults to a folder per endpoint port under the temp folder, reused across runs. */
  pkiDir?: string;
  /** The endpoint's listen address (127.0.0.1 by default) and whether it offers SecurityMode None (yes by default). */
  listen?: string;
  offerSecurityNone?: boolean;
  /** Sims already running to use as primary and secondary (then the fixture neither starts nor closes them; `ports` gives the endpoint's port only). */
  sims?: [SimProcess, SimProcess];
}

/**
 * Two real simulated servers, the real pair between them and the endpoint in front, as the
 * engine host runs them; clients connect to `url` exactly as they would to an upstream server.
 */
export class ProxyFixture {
  readonly events: PostedEvent[] = [];
  pair!: Pair;
  endpoint!: PairEndpoint;
  private readonly clients: OPCUAClient[] = [];

  private constructor(
    readonly primary: SimProcess,
    readonly secondary: SimProcess,
    readonly options: ProxyFixtureOptions,
  ) {}

  static async start(options: ProxyFixtureOptions): Promise<ProxyFixture> {
    const [p, s, port] = options.ports;
    const [primary, secondary] =
      options.sims ??
      (await Promise.all([
        SimProcess.start({
          port: p,
          identity: "primary",
          items: options.items,
          rateHz: options.itemRateHz,
          extraNodes: options.primaryExtra,
          namespacesBefore: options.primaryNamespacesBefore,
          users: options.simUsers,
        }),
        SimProcess.start({
          port: s,
          identity: "secondary",
          items: options.items,
          rateHz: options.itemRateHz,
          extraNodes: options.secondaryExtra,
          namespacesBefore: options.secondaryNamespacesBefore,
          users: options.simUsers,
        }),
      ]));
    const fixture = new ProxyFixture(primary, secondary, options);
    // Status polls relaxed for a loaded test machine: a crash is seen at once anyway (the socket closes).
    const harness = { mode: options.mode, alwaysReconnectToPrimary: false, statusIntervalMs: 2000, statusTimeoutMs: 1500 };
    const config = { ...pairConfig(harness, [primary.url, secondary.url]), port, ...options.config };
    fixture.pair = createPair(config, {
      postEvent: (e) => fixture.events.push({ id: e.side ? `${e.kind}.${e.side}` : e.kind, kind: e.kind, side: e.side, fields: e.fields, at: Date.now() }),
      onChanged: () => undefined,
    });
    await fixture.pair.start();
    fixture.endpoint = await startPairEndpoint(fixture.pair, {
      port,
      ...(options.listen ? { listen: options.listen } : {}),
      ...(options.offerSecurityNone !== undefined ? { offerSecurityNone: options.offerSecurityNone } : {}),
      applicationName: config.effectiveName,
      pkiDir: options.pkiDir ?? join(tmpdir(), "redundancymaster-proxy-test-pki", String(port)),
    });
    return fixture;
  }

  /**
   * Waits for the pair's first promotion and fails unless it was the primary's: both sims were up
   * before the pair started, so a secondary active first is a spurious switch the test must not hide.
   */
  async primaryActiveFirst(): Promise<void> {
    await until("a side active", () => this.pair.active !== null, 30_000);
    assert.deepEqual(this.promotions(), ["promoted.primary"], `events: ${this.events.map((e) => `${e.id}${e.fields.detail ? ` (${e.fields.detail})` : ""}`).join(", ")}`);
  }

  /** The promotions so far, in order: a test compares them with the switches it caused, so that one it did not cause fails it. */
  promotions(): string[] {
    return this.events.filter((e) => e.kind === "promoted").map((e) => e.id);
  }

  get url(): string {
    return `opc.tcp://127.0.0.1:${this.options.ports[2]}`;
  }

  sim(side: Side): SimProcess {
    return side === "primary" ? this.primary : this.secondary;
  }

  /** A plain node-opcua client session on the endpoint, with the sim namespace's index there. */
  async connect(options: OPCUAClientOptions = {}, identity?: UserIdentityInfo): Promise<{ session: ClientSession; ns: number }> {
    return this.connectTo(this.url, options, identity);
  }

  /** The same, straight to an upstream sim (to see where a write landed). */
  async connectTo(url: string, options: OPCUAClientOptions = {}, identity?: UserIdentityInfo): Promise<{ session: ClientSession; ns: number }> {
    const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, requestedSessionTimeout: 60_000, ...options });
    this.clients.push(client);
    await client.connect(url);
    const session = await client.createSession(identity);
    const ns = (await session.readNamespaceArray()).indexOf(SIM_NAMESPACE);
    return { session, ns };
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.disconnect().catch(() => undefined)));
    await this.endpoint?.stop();
    await this.pair?.stop();
    if (!this.options.sims) await Promise.all([this.primary.close(), this.secondary.close()]);
  }
}

export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Recorded {
  value: unknown;
  status: string;
  sourceTime: number;
  at: number;
}

/** Monitors a node (sampling interval 0: every change) and records what arrives. */
export async function record(session: ClientSession, nodeId: string, subscription?: ClientSubscription): Promise<{ values: Recorded[]; subscription: ClientSubscription }> {
  const sub =
    subscription ??
    (await session.createSubscription2({
      requestedPublishingInterval: 50,
      publishingEnabled: true,
      requestedMaxKeepAliveCount: 20,
      requestedLifetimeCount: 600,
      maxNotificationsPerPublish: 0,
    }));
  const values: Recorded[] = [];
  const item = await sub.monitor({ nodeId, attributeId: AttributeIds.Value }, { samplingInterval: 0, queueSize: 100, discardOldest: true }, TimestampsToReturn.Both);
  item.on("changed", (dv: DataValue) => values.push({ value: dv.value.value, status: dv.statusCode.name, sourceTime: dv.sourceTimestamp?.getTime() ?? 0, at: Date.now() }));
  return { values, subscription: sub };
}

export async function readValue(session: ClientSession, nodeId: string): Promise<DataValue> {
  return session.read({ nodeId, attributeId: AttributeIds.Value });
}
