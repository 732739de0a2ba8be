import { fork, type ChildProcess } from "node:child_process";
import { basename, resolve } from "node:path";
import type { SimCommand } from "../cli/sim";
import type { SimServerOptions } from "./simServer";

/**
 * A sim's options (simServer.ts) that can cross into its process: all but `onLogin`, which becomes
 * `SimProcess.logins`. The users' passwords reach the child through its environment.
 */
export interface SimProcessOptions extends Pick<
  SimServerOptions,
  "port" | "identity" | "items" | "rateHz" | "extraNodes" | "namespacesBefore" | "maxMonitoredItemsPerSubscription" | "maxMonitoredItemsPerCall" | "users" | "pkiDir"
> {
  /**
   * How long a start may take before the child is killed and the start fails. Default 90 s: a start
   * costs ~3 s of CPU (mostly loading node-opcua), and test files starting eight sims at once on
   * 2 cores have taken more than 30 s.
   */
  startTimeoutMs?: number;
}

/** The engine bundle, which carries the `sim` verb; from sources (tests under tsx) the built one beside them. */
function engineBundle(): string {
  return basename(__filename) === "engine.js" ? __filename : resolve(__dirname, "../../../dist/engine.js");
}

/**
 * A simulated server in a child process of its own, so that tests and the demo can fail it the
 * ways real servers fail: SIGKILL (crash), SIGSTOP (hang, the socket stays open), a graceful
 * shutdown with SecondsTillShutdown, and a restart on the same port.
 */
export class SimProcess {
  private child: ChildProcess | undefined;
  private exitPromise: Promise<number | null> = Promise.resolve(null);
  url = "";
  /** Every login the server checked, across restarts: the user name, the verdict and when (no password). */
  readonly logins: { user: string; accepted: boolean; at: number }[] = [];

  private constructor(readonly options: SimProcessOptions) {}

  static async start(options: SimProcessOptions): Promise<SimProcess> {
    const sim = new SimProcess(options);
    await sim.restart();
    return sim;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts the server again on the same port (after a kill or shutdown); `namespacesBefore`, when
   * given, replaces the namespaces registered before the sim's own from now on (a server that
   * comes back with its namespaces in another order).
   */
  async restart(timeoutMs = this.options.startTimeoutMs ?? 90_000, changes: Pick<SimProcessOptions, "namespacesBefore"> = {}): Promise<void> {
    if (this.running) throw new Error(`sim ${this.options.identity} is still running`);
    if (changes.namespacesBefore) this.options.namespacesBefore = changes.namespacesBefore;
    const o = this.options;
    const args = ["sim", "--port", String(o.port), "--identity", o.identity, "--items", String(o.items ?? 0), "--rate", String(o.rateHz ?? 10)];
    if (o.extraNodes?.length) args.push("--extra", o.extraNodes.join(","));
    if (o.namespacesBefore?.length) args.push("--namespaces-before", o.namespacesBefore.join(","));
    if (o.maxMonitoredItemsPerSubscription) args.push("--max-items-per-subscription", String(o.maxMonitoredItemsPerSubscription));
    if (o.maxMonitoredItemsPerCall) args.push("--max-items-per-call", String(o.maxMonitoredItemsPerCall));
    if (o.pkiDir) args.push("--pki-dir", o.pkiDir);
    const env = { ...process.env };
    if (o.users?.length) {
      args.push("--users-env", "REDUNDANCYMASTER_SIM_USERS");
      env.REDUNDANCYMASTER_SIM_USERS = JSON.stringify(o.users);
    }
    const child = fork(engineBundle(), args, { stdio: ["ignore", "pipe", "pipe", "ipc"], execArgv: [], env });
    this.child = child;
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-2000);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    this.exitPromise = new Promise((done) => child.once("exit", (code) => done(code)));
    child.on("message", (m: { type: string; user?: string; accepted?: boolean }) => {
      if (m.type === "login") this.logins.push({ user: m.user!, accepted: !!m.accepted, at: Date.now() });
    });
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        fail(new Error(`sim ${o.identity} did not start within ${timeoutMs} ms:\n${output}`));
      }, timeoutMs);
      child.on("message", (m: { type: string; url?: string }) => {
        if (m.type !== "ready") return;
        clearTimeout(timer);
        this.url = m.url!;
        ready();
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        fail(new Error(`sim ${o.identity} exited (${code}) before it was ready:\n${output}`));
      });
    });
  }

  /** Sends a signal: SIGKILL for a crash, SIGSTOP for a hang, SIGCONT to resume. */
  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  async kill(): Promise<void> {
    if (!this.running) return;
    this.child!.kill("SIGKILL");
    await this.exitPromise;
  }

  set(node: string, value: unknown, status?: string): Promise<void> {
    return this.command({ type: "set", node, value, status });
  }

  freeze(node: string, frozen: boolean): Promise<void> {
    return this.command({ type: "freeze", node, frozen });
  }

  /** Graceful shutdown: the server announces it, waits `seconds`, closes, and the process exits. */
  async shutdown(seconds: number): Promise<void> {
    if (!this.running) return;
    this.child!.send({ type: "shutdown", seconds } satisfies SimCommand);
    await this.exitPromise;
  }

  /** Ends the process whatever its state (resumes a stopped one first so it can die cleanly). */
  async close(): Promise<void> {
    if (!this.running) return;
    this.child!.kill("SIGCONT");
    this.child!.kill("SIGKILL");
    await this.exitPromise;
  }

  private command(command: SimCommand): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return Promise.reject(new Error(`sim ${this.options.identity} is not running`));
    return new Promise((done, fail) => {
      const onMessage = (m: { type: string; message?: string }) => {
        if (m.type === "ack") done();
        else if (m.type === "error") fail(new Error(m.message));
        else return;
        child.off("message", onMessage);
      };
      child.on("message", onMessage);
      child.send(command);
    });
  }
}
