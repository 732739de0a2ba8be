import { OPCUACertificateManager, OPCUAClient, type ClientSession } from "node-opcua";
import { SIM_NAMESPACE } from "../../../engine/src/sim/simServer";
import { subscribeLoad, type LoadHandlers } from "./loadSubscription";

export interface BaselineOptions {
  /** The servers to use, in order of preference (primary first). */
  urls: string[];
  items: number;
  pkiDir: string;
  /**
   * How long the socket may stay silent before the connection counts as lost: the one knob
   * node-opcua offers against a hung server. The benchmark gives it the same budget as the
   * engine's statusIntervalMs + statusTimeoutMs, so that the two are compared at equal settings.
   */
  silenceTimeoutMs: number;
  handlers: LoadHandlers;
}

/**
 * What a competent user does without a redundancy layer: an ordinary node-opcua client with a
 * list of endpoints. It subscribes to the load on the first; when the connection is lost (socket
 * closed, socket silent for silenceTimeoutMs) or the server announces its
 * shutdown (ServerStatus.State watched in the same subscription), it abandons that server without
 * waiting for it and subscribes anew on the next one in the list, round the list until one
 * answers. node-opcua itself only ever reconnects to the same endpoint, so the switch is the
 * user's own code, as here.
 */
export class BaselineClient {
  private current = 0;
  private client: OPCUAClient | undefined;
  private switching: Promise<void> | undefined;
  private closed = false;
  private readonly certificates: OPCUACertificateManager;
  /** When each switch was decided (ms), for the benchmark's detection figures. */
  readonly switchedAt: number[] = [];

  constructor(private readonly options: BaselineOptions) {
    // One certificate for every connection, as an application keeps one identity.
    this.certificates = new OPCUACertificateManager({ rootFolder: options.pkiDir, automaticallyAcceptUnknownCertificate: true });
  }

  get url(): string {
    return this.options.urls[this.current];
  }

  /** Subscribes on the first server of the list, trying again (a loaded machine may miss the socket timeout while connecting) for up to a minute. */
  async start(): Promise<void> {
    await this.certificates.initialize();
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        return await this.open(this.current);
      } catch (error) {
        await this.abandon(this.client);
        if (Date.now() > deadline) throw error;
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.switching?.catch(() => undefined);
    await this.abandon(this.client);
    await this.certificates.dispose().catch(() => undefined);
  }

  private async open(index: number): Promise<void> {
    const client = OPCUAClient.create({
      applicationName: "baseline list-failover client",
      endpointMustExist: false,
      clientCertificateManager: this.certificates,
      // The list is the retry strategy: no retries of node-opcua's own on one server.
      connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
      transportTimeout: this.options.silenceTimeoutMs,
      defaultTransactionTimeout: 5000,
      // No keep-alive reads: the subscription's publish traffic keeps the session alive, and its
      // silence is what transportTimeout notices.
      keepSessionAlive: false,
      requestedSessionTimeout: 10_000,
    });
    this.client = client;
    const lost = () => this.failover(client);
    client.on("connection_lost", lost);
    client.on("start_reconnection", lost);
    client.on("close", lost);
    await client.connect(this.options.urls[index]);
    const session: ClientSession = await client.createSession();
    session.on("session_closed", lost);
    const ns = (await session.readNamespaceArray()).indexOf(SIM_NAMESPACE);
    const handlers = this.options.handlers;
    // An abandoned connection may still deliver until its disconnect completes: only the current one counts.
    const current = () => this.client === client;
    await subscribeLoad(session, ns, this.options.items, {
      counter: (sample) => current() && handlers.counter(sample),
      item: (index) => current() && handlers.item?.(index),
      serverState: (state) => {
        if (!current()) return;
        handlers.serverState?.(state);
        // Running is 0; Shutdown (4) comes with SecondsTillShutdown: leave before it closes.
        if (state !== 0) lost();
      },
    });
  }

  /** Leaves `from` (once) for the next server of the list that answers. */
  private failover(from: OPCUAClient): void {
    if (this.closed || from !== this.client || this.switching) return;
    this.switchedAt.push(Date.now());
    this.switching = (async () => {
      void this.abandon(from);
      for (let attempt = 1; !this.closed; attempt++) {
        this.current = (this.current + 1) % this.options.urls.length;
        try {
          await this.open(this.current);
          return;
        } catch {
          await this.abandon(this.client);
          // Once round the list without success: pause a little before the next round.
          if (attempt % this.options.urls.length === 0) await new Promise((r) => setTimeout(r, 250));
        }
      }
    })().finally(() => (this.switching = undefined));
  }

  /** Drops a client without waiting for its server (a hung one never answers). */
  private async abandon(client: OPCUAClient | undefined): Promise<void> {
    if (!client) return;
    client.removeAllListeners();
    await Promise.race([client.disconnect().catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
  }
}
