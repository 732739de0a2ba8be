import { fork, type ChildProcess } from "node:child_process";
import * as vscode from "vscode";
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import { Methods, setSecrets, type EngineSecrets, type EngineSnapshot, type PairSnapshot, type RuntimeEvent, errorMessage } from "../../engine/src/control/clientApi";
import { ConfigHasErrors, configErrorLines } from "./configErrors";
import type { EngineLog } from "./engineLog";

export type EngineState = "stopped" | "starting" | "running";

export interface EngineLaunch {
  configFile: string;
  stateDir: string;
  secrets: () => Promise<EngineSecrets>;
}

/** Backoff after crashes: 1 s, 2 s, 4 s … 30 s; a run of a minute without a crash starts over. */
const BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000];
const STABLE_MS = 60_000;
const SHUTDOWN_GRACE_MS = 10_000;
const CONTROL_WAIT_MS = 60_000;

/**
 * The bundled engine as a child process, driven over JSON-RPC on its Node IPC channel (the
 * control protocol). A crash is logged and followed by a restart with backoff; stop() asks the
 * engine to shut down (so it preserves its event log) and kills it only if it does not.
 */
export class EngineProcess implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private rpc: MessageConnection | undefined;
  private launch: EngineLaunch | undefined;
  private crashes = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private stateValue: EngineState = "stopped";
  private readonly stateEmitter = new vscode.EventEmitter<EngineState>();
  private readonly eventEmitter = new vscode.EventEmitter<RuntimeEvent>();
  private readonly pairEmitter = new vscode.EventEmitter<PairSnapshot>();
  private readonly snapshotEmitter = new vscode.EventEmitter<EngineSnapshot>();
  readonly onState = this.stateEmitter.event;
  readonly onEvent = this.eventEmitter.event;
  readonly onPairChanged = this.pairEmitter.event;
  /** A whole snapshot: after start and after each config reload (pairs may have come or gone). */
  readonly onSnapshot = this.snapshotEmitter.event;

  constructor(
    private readonly engineBundle: string,
    private readonly log: EngineLog,
  ) {}

  get state(): EngineState {
    return this.stateValue;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get configFile(): string | undefined {
    return this.launch?.configFile;
  }

  /** The control connection; throws when the engine is not running, with what to do about it. */
  get connection(): MessageConnection {
    if (!this.rpc || this.stateValue !== "running") throw new Error("The RedundancyMaster engine is not running (run 'RedundancyMaster: Start Engine').");
    return this.rpc;
  }

  async start(launch: EngineLaunch): Promise<EngineSnapshot> {
    if (this.child) await this.stop();
    this.launch = launch;
    this.crashes = 0;
    return this.spawn();
  }

  async stop(): Promise<void> {
    this.launch = undefined;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return this.setState("stopped");
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    try {
      await Promise.race([this.rpc?.sendRequest(Methods.shutdown), delay(2_000)]);
    } catch {
      // the channel may already be gone; the exit wait below decides
    }
    if (await Promise.race([exited.then(() => true), delay(SHUTDOWN_GRACE_MS).then(() => false)])) return;
    this.log.line(`engine (pid ${child.pid}) did not stop within ${SHUTDOWN_GRACE_MS / 1000} s: killed`);
    child.kill("SIGKILL");
    await exited;
  }

  async refreshSnapshot(): Promise<EngineSnapshot> {
    const snapshot = await this.connection.sendRequest(Methods.snapshot);
    this.snapshotEmitter.fire(snapshot);
    return snapshot;
  }

  private async spawn(): Promise<EngineSnapshot> {
    const launch = this.launch!;
    this.setState("starting");
    const args = ["run", launch.configFile, "--control", "ipc", "--state-dir", launch.stateDir];
    const child = fork(this.engineBundle, args, { stdio: ["ignore", "pipe", "pipe", "ipc"], execArgv: [] });
    this.child = child;
    const startedAt = Date.now();
    this.log.line(`engine started (pid ${child.pid}): ${launch.configFile}`);
    child.stdout!.setEncoding("utf8").on("data", (text: string) => this.log.engineOutput(text));
    // What the engine says before it answers: the reason, should it refuse to start.
    let startupStderr = "";
    const closed = new Promise<void>((done) => child.once("close", () => done()));
    child.stderr!.setEncoding("utf8").on("data", (text: string) => {
      if (this.stateValue === "starting") startupStderr = (startupStderr + text).slice(-64_000);
      this.log.line(text.trimEnd());
    });
    const rpc = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    this.rpc = rpc;
    rpc.onNotification(Methods.event, (event) => {
      this.eventEmitter.fire(event);
      if (event.id === "configReloaded") void this.refreshSnapshot().catch(() => undefined);
    });
    rpc.onNotification(Methods.pairChanged, (pair) => this.pairEmitter.fire(pair));
    rpc.listen();
    child.once("exit", (code, signal) => this.onExit(child, startedAt, code, signal));
    try {
      const snapshot = await firstAnswer(rpc, child);
      await rpc.sendNotification(setSecrets, await launch.secrets());
      this.setState("running");
      this.snapshotEmitter.fire(snapshot);
      return snapshot;
    } catch (err) {
      if (child.exitCode === 1) {
        // Exit 1 is a configuration with errors: validate's lines on stderr, all there once the pipe closes.
        await Promise.race([closed, delay(2_000)]);
        const errors = configErrorLines(startupStderr, launch.configFile);
        if (errors.length) throw new ConfigHasErrors(launch.configFile, errors);
      }
      const reason = `the engine did not answer on its control channel: ${errorMessage(err)}`;
      this.log.line(reason);
      throw new Error(reason);
    }
  }

  private onExit(child: ChildProcess, startedAt: number, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.rpc?.dispose();
    this.rpc = undefined;
    this.child = undefined;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    // an engine that dies before it answers (bad config, bad arguments) would only die again
    if (this.stateValue === "starting") this.launch = undefined;
    if (!this.launch) {
      this.log.line(`engine stopped (${how})`);
      return this.setState("stopped");
    }
    if (Date.now() - startedAt > STABLE_MS) this.crashes = 0;
    const wait = BACKOFF_MS[Math.min(this.crashes, BACKOFF_MS.length - 1)];
    this.crashes++;
    this.log.line(`engine exited unexpectedly (${how}); restarting in ${wait / 1000} s (crash ${this.crashes})`);
    this.setState("stopped");
    this.restartTimer = setTimeout(() => {
      if (this.launch) this.spawn().catch((err) => this.log.line(`restart failed: ${errorMessage(err)}`));
    }, wait);
  }

  private setState(state: EngineState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    void vscode.commands.executeCommand("setContext", "redundancymaster.engineRunning", state === "running");
    this.stateEmitter.fire(state);
  }

  dispose(): void {
    void this.stop();
    this.stateEmitter.dispose();
    this.eventEmitter.dispose();
    this.pairEmitter.dispose();
    this.snapshotEmitter.dispose();
  }
}

/**
 * The engine serves its control channel only once its pairs have started, and Node drops IPC
 * messages that arrive before a listener: ask for the snapshot until one request is answered.
 */
async function firstAnswer(rpc: MessageConnection, child: ChildProcess): Promise<EngineSnapshot> {
  const deadline = Date.now() + CONTROL_WAIT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the engine exited (${child.signalCode ?? `code ${child.exitCode}`})`);
    const answer = await Promise.race([rpc.sendRequest(Methods.snapshot), delay(500).then(() => undefined)]);
    if (answer) return answer;
  }
  throw new Error(`no answer within ${CONTROL_WAIT_MS / 1000} s`);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
