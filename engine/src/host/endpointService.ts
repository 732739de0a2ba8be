import { errorMessage } from "../errorMessage";
import type { EndpointFigures } from "../metrics/metricsCollector";

/** A started endpoint, as the pair parts give it. */
export interface RunningEndpoint {
  /** The URL its clients use. */
  url: string;
  stop(): Promise<void>;
  /** Its clients' items and queues (metrics); optional until an endpoint measures them. */
  figures?(): EndpointFigures;
}

const NO_CLIENTS: EndpointFigures = { downstreamItems: 0, clientQueuedValues: 0 };

export interface EndpointServiceHooks {
  /** endpointNotServing / endpointListening, with the pair's fields. */
  post(kind: "endpointNotServing" | "endpointListening", fields: Record<string, string | number>): void;
  /** notServing changed. */
  changed(): void;
}

/** The first retry after 1 s, doubling up to 30 s: a port another program holds is taken as soon as it is freed. */
export function endpointRetryMs(failures: number): number {
  return Math.min(1000 * 2 ** Math.max(failures - 1, 0), 30_000);
}

/**
 * A pair's endpoint, kept serving: a start that fails (a port in use, most often) is tried again
 * until it succeeds or the pair stops, and `notServing` says why no endpoint listens meanwhile.
 * The events mark the transitions only: the first failure (endpointNotServing) and the start
 * (endpointListening, with the URL), never each retry.
 */
export class EndpointService {
  /** Why no endpoint listens for the pair's clients (undefined: one does). */
  notServing: string | undefined = "starting";
  private endpoint: RunningEndpoint | undefined;
  private starting: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly port: number,
    private readonly start: () => Promise<RunningEndpoint>,
    private readonly hooks: EndpointServiceHooks,
  ) {
    this.attempt();
  }

  /** The serving endpoint's figures; none while it does not serve. */
  figures(): EndpointFigures {
    return this.endpoint?.figures?.() ?? NO_CLIENTS;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.starting;
    const endpoint = this.endpoint;
    this.endpoint = undefined;
    await endpoint?.stop();
  }

  private attempt(): void {
    this.starting = this.start().then(
      (endpoint) => {
        this.endpoint = endpoint;
        if (this.stopped) return;
        this.hooks.post("endpointListening", { url: endpoint.url });
        this.failures = 0;
        this.notServing = undefined;
        this.hooks.changed();
      },
      (error: unknown) => {
        if (this.stopped) return;
        this.failures += 1;
        const delayMs = endpointRetryMs(this.failures);
        const reason = errorMessage(error);
        this.notServing = `${reason}; trying again in ${delayMs / 1000} s`;
        if (this.failures === 1) this.hooks.post("endpointNotServing", { port: this.port, detail: reason });
        this.timer = setTimeout(() => this.attempt(), delayMs);
        this.hooks.changed();
      },
    );
  }
}
