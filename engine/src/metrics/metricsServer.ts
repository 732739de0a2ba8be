import { createServer, type Server } from "node:http";

/** The one address the metrics listener binds: scraped by a Prometheus (or its agent) on this machine, never open to the network. */
export const METRICS_ADDRESS = "127.0.0.1";

/** How long a port that could not be opened (another program holds it) waits before it is tried again. */
export const METRICS_RETRY_MS = 5000;

export interface MetricsServerHooks {
  /** The exposition text, made when a scrape asks. */
  text(): string;
  post(kind: "metricsListening" | "metricsNotServing", fields: Record<string, string | number>): void;
}

/**
 * The `<metrics port>` listener: `GET /metrics` answers the Prometheus text on 127.0.0.1 only.
 * No port, no listener. `serve` follows the config at start and on each reload: a new port
 * replaces the listener, the same one keeps it. A port that cannot be opened is said once
 * (metricsNotServing) and tried again until it opens (metricsListening) or the config moves on.
 */
export class MetricsServer {
  private server: Server | undefined;
  private port: number | undefined;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly hooks: MetricsServerHooks) {}

  async serve(port: number | undefined): Promise<void> {
    if (port === this.port) return;
    await this.close();
    this.port = port;
    if (port !== undefined) await this.open(port, true);
  }

  async close(): Promise<void> {
    clearTimeout(this.retry);
    this.retry = undefined;
    this.port = undefined;
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((closed) => server.close(() => closed()));
  }

  private async open(port: number, first: boolean): Promise<void> {
    const server = createServer((request, response) => {
      const path = request.url?.split("?")[0];
      if (request.method !== "GET" || path !== "/metrics") {
        response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found: the metrics are at /metrics\n");
        return;
      }
      response.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }).end(this.hooks.text());
    });
    try {
      await new Promise<void>((listening, failed) => {
        server.once("error", failed);
        server.listen(port, METRICS_ADDRESS, () => {
          server.off("error", failed);
          listening();
        });
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (first) this.hooks.post("metricsNotServing", { port, detail: code === "EADDRINUSE" ? "the port is in use" : (code ?? String(error)) });
      if (this.port === port) this.retry = setTimeout(() => void this.open(port, false), METRICS_RETRY_MS);
      return;
    }
    if (this.port !== port) {
      // The config moved on while this port was opening.
      server.close();
      return;
    }
    this.server = server;
    this.hooks.post("metricsListening", { url: `http://${METRICS_ADDRESS}:${port}/metrics` });
  }
}
