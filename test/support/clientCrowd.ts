import { spawn, type ChildProcess } from "node:child_process";
import { REPO_ROOT } from "./engineCli";

/** What the crowd's clients got (vanishingClients.ts). */
export interface CrowdResult {
  /** Clients that got a session and a subscription. */
  sessions: number;
  /** The session timeouts granted, each once. */
  timeouts: number[];
  refused: string[];
}

/**
 * `count` clients of the endpoint at `url` in a child process (vanishingClients.ts); `result`
 * once they have their sessions and subscriptions. Kill `child` with SIGKILL to make them vanish
 * without closing anything.
 */
export function vanishingClients(url: string, count: number): { child: ChildProcess; result: Promise<CrowdResult> } {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/vanishingClients.ts", url, String(count)], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr!.on("data", (c: Buffer) => {
    err += c.toString();
  });
  const result = new Promise<CrowdResult>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the clients did not report within 180 s:\n${err.slice(-2000)}`)), 180_000);
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const line = /^RESULT (.*)$/m.exec(out);
      if (line) {
        clearTimeout(timer);
        done(JSON.parse(line[1]) as CrowdResult);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`the clients exited (${code}):\n${err.slice(-2000)}`));
    });
  });
  return { child, result };
}
