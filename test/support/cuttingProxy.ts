import { connect, createServer, type Socket } from "node:net";

export interface CuttingProxyOptions {
  /** Where the proxy listens (127.0.0.1). */
  port: number;
  target: { host: string; port: number };
  /** How long each connection lives before the proxy cuts it. */
  cutAfterMs: number;
  /**
   * Cut right after relaying the server's n-th chunk instead (n taken from the list in turn, one
   * connection after another): the connection dies just as an answer arrives.
   */
  cutAfterServerChunks?: number[];
}

/**
 * A TCP proxy in front of a server that cuts every connection `cutAfterMs` after it opens: a
 * flapping network path (a bad cable, a switch port that resets), the connection accepted and
 * then gone, again and again. `cuts` counts the connections it cut.
 */
export class CuttingProxy {
  cuts = 0;
  private connections = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((downstream) => this.relay(downstream));

  private constructor(private readonly options: CuttingProxyOptions) {}

  static async start(options: CuttingProxyOptions): Promise<CuttingProxy> {
    const proxy = new CuttingProxy(options);
    await new Promise<void>((ready, fail) => {
      proxy.server.once("error", fail);
      proxy.server.listen(options.port, "127.0.0.1", () => ready());
    });
    return proxy;
  }

  get url(): string {
    return `opc.tcp://127.0.0.1:${this.options.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private relay(downstream: Socket): void {
    const upstream = connect(this.options.target.port, this.options.target.host);
    for (const socket of [downstream, upstream]) {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      // A reset of either end is what this proxy is for; it must not end the test process.
      socket.on("error", () => undefined);
    }
    downstream.pipe(upstream);
    const chunks = this.options.cutAfterServerChunks;
    if (chunks?.length) {
      const limit = chunks[this.connections++ % chunks.length];
      let relayed = 0;
      upstream.on("data", (chunk: Buffer) => {
        if (downstream.destroyed) return;
        relayed += 1;
        if (relayed < limit) return void downstream.write(chunk);
        this.cuts += 1;
        downstream.end(chunk);
        upstream.destroy();
      });
    } else {
      upstream.pipe(downstream);
    }
    const timer = setTimeout(() => {
      this.cuts += 1;
      downstream.destroy();
      upstream.destroy();
    }, this.options.cutAfterMs);
    downstream.on("close", () => {
      clearTimeout(timer);
      upstream.destroy();
    });
    upstream.on("close", () => downstream.destroy());
  }
}
