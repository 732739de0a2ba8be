import { spawn, type ChildProcess } from "node:child_process";
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import { ENGINE_BUNDLE, REPO_ROOT } from "./engineCli";

/** One parsed stdout line of `redundancymaster run`: `DATE TIME SEVERITY [PAIR/SIDE] TEXT`. */
export interface RunLine {
  severity: string;
  where: string;
  text: string;
  /** When the engine posted the event (ms since the epoch, from the line's local date and time); NaN for a line of another shape. */
  at: number;
}

/**
 * `node dist/engine.js run …` as a real child process, its stdout parsed into event lines as they
 * come, so a test can wait for an event and count them.
 */
export class EngineRun {
  readonly lines: RunLine[] = [];
  stderr = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The control channel (JSON-RPC over IPC), when started with `control`. */
  readonly control: MessageConnection | undefined;
  private readonly child: ChildProcess;

  /**
   * @param entry what node runs instead of the bundle's `run` (a test's fault injection, see engineWithNodeOpcuaBug.ts)
   * @param control also serve the control channel on the process's IPC channel (`--control ipc`), as the extension does
   */
  constructor(args: string[], entry: string[] = [ENGINE_BUNDLE, "run"], control = false) {
    this.child = spawn(process.execPath, [...entry, ...args, ...(control ? ["--control", "ipc"] : [])], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe", ...(control ? ["ipc" as const] : [])],
    });
    if (control) {
      this.control = createMessageConnection(new IPCMessageReader(this.child), new IPCMessageWriter(this.child));
      this.control.listen();
    }
    let partial = "";
    this.child.stdout!.on("data", (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const complete = text.split("\n");
      partial = complete.pop()!;
      for (const line of complete) {
        const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) (\w+) \[([^\]]+)\] (.*)$/.exec(line);
        // A line of another shape is kept as it is, for a test to find and fail on.
        if (!m) this.lines.push({ severity: "?", where: "?", text: line, at: NaN });
        else {
          const [y, mo, d, h, mi, s, ms] = m.slice(1, 8).map(Number);
          this.lines.push({ severity: m[8], where: m[9], text: m[10], at: new Date(y, mo - 1, d, h, mi, s, ms).getTime() });
        }
      }
    });
    this.child.stderr!.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((done) => this.child.once("exit", (code, signal) => done({ code, signal })));
  }

  /** Lines whose `where` and text match. */
  matching(where: string, text: RegExp): RunLine[] {
    return this.lines.filter((l) => l.where === where && text.test(l.text));
  }

  /** Waits until at least `count` lines match; fails with the output so far. */
  async waitFor(where: string, text: RegExp, timeoutMs = 30_000, count = 1): Promise<void> {
    const started = Date.now();
    while (this.matching(where, text).length < count) {
      if (Date.now() - started > timeoutMs) {
        throw new Error(`no ${count} × [${where}] ${text} within ${timeoutMs} ms; output:\n${this.lines.map((l) => `${l.severity} [${l.where}] ${l.text}`).join("\n")}\nstderr:\n${this.stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Null while the process runs. */
  get exitCode(): number | null {
    return this.child.exitCode ?? (this.child.signalCode ? 128 : null);
  }

  /** The engine's process id (benchmarks read its CPU time and memory from /proc). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Ends the process if a test failed before stopping it. */
  async close(): Promise<void> {
    this.control?.dispose();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGKILL");
      await this.exited;
    }
  }
}

/** A pattern that matches exactly `text`, a whole line (for event texts that name a user or a path). */
export function exactLine(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
}
