import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { AttributeIds, OPCUAClient } from "node-opcua";
import { ensureEngineBuilt, REPO_ROOT } from "../support/engineCli";
import { reservePort } from "../support/portReservation";

/**
 * README's walkthrough "Your own pair", its lines run as they are written, from the clone, through
 * npx, with two changes only: the ports (4840–4842 in README) are ones this test claimed, and HOME
 * is a temp folder (so `~/plant` and the default state folder are the test's own).
 */
function walkthrough(): string[] {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const block = /<!-- walkthrough:[^\n]*-->\n```sh\n([\s\S]*?)```\n<!-- walkthrough end -->/.exec(readme)?.[1];
  assert.ok(block, "README has the walkthrough block");
  return block
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter(Boolean);
}

/** Three consecutive ports, claimed across the test files, to stand for README's 4840, 4841 and 4842. */
function claimPorts(): number[] {
  for (let base = 23260; base < 23290; base += 3) {
    if ([0, 1, 2].every((i) => reservePort(base + i))) return [base, base + 1, base + 2];
  }
  throw new Error("no three free test ports in 23260–23289");
}

class Shell {
  out = "";
  readonly closed: Promise<number | null>;
  readonly child: ChildProcess;

  constructor(line: string, env: NodeJS.ProcessEnv) {
    // its own process group, as a terminal runs a command: Ctrl+C and the cleanup reach npm, its shell and the engine
    this.child = spawn("bash", ["-c", line], { cwd: REPO_ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.on("data", (d: Buffer) => (this.out += d));
    this.child.stderr!.on("data", (d: Buffer) => (this.out += d));
    this.closed = new Promise((done) => this.child.once("close", (code) => done(code)));
  }

  async waitFor(text: RegExp, timeoutMs = 90_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = text.exec(this.out);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no ${text} within ${timeoutMs} ms:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  signal(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.child.pid!, signal);
    } catch {
      /* gone */
    }
  }
}

/**
 * What README tells a client to do: read the sim's Counter through the endpoint, its namespace
 * resolved by URI in the endpoint's own namespace table (where it has another index than on the sim).
 */
async function readCounter(url: string, namespaceUri: string, identifier: string): Promise<{ status: string; value: number; nodeId: string }> {
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
  try {
    await client.connect(url);
    const session = await client.createSession();
    const table = await session.readNamespaceArray();
    const index = table.indexOf(namespaceUri);
    assert.ok(index > 0, `the endpoint's namespace table lists ${namespaceUri}: ${JSON.stringify(table)}`);
    const nodeId = `ns=${index};${identifier}`;
    const dv = await session.read({ nodeId, attributeId: AttributeIds.Value });
    await session.close();
    return { status: dv.statusCode.name, value: dv.value.value as number, nodeId };
  } finally {
    await client.disconnect();
  }
}

describe("README: from two server URLs to a client reading through the endpoint", () => {
  const home = mkdtempSync(join(tmpdir(), "rm-walkthrough-"));
  const shells: Shell[] = [];
  after(() => {
    for (const s of shells) s.signal("SIGKILL");
    rmSync(home, { recursive: true, force: true });
  });

  it("follows the walkthrough's lines, then reads the Counter through the endpoint across a failover", async () => {
    await ensureEngineBuilt();
    const ports = claimPorts();
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, npm_config_update_notifier: "false" };
    delete env.XDG_STATE_HOME;
    const lines = walkthrough().map((line) => line.replace(/\b484([012])\b/g, (_, i: string) => String(ports[Number(i)])));
    assert.equal(lines.length, 5, lines.join("\n"));

    let counter: { uri: string; identifier: string } | undefined;
    let run: Shell | undefined;
    for (const line of lines) {
      const background = line.endsWith("&");
      const shell = new Shell(background ? line.slice(0, -1) : line, env);
      shells.push(shell);
      if (background) {
        // a sim: up once it has printed its namespace and NodeIds
        await shell.waitFor(/^ {2}ns=\d+;s=Counter /m);
        const [, uri, index] = /^ {2}namespace (\S+) is ns=(\d+);/m.exec(shell.out)!;
        counter ??= { uri, identifier: new RegExp(`^ {2}ns=${index};(s=Counter) `, "m").exec(shell.out)![1] };
      } else if (/ run /.test(line)) {
        run = shell;
        break;
      } else {
        const code = await shell.closed;
        assert.equal(code, 0, `${line}\n${shell.out}`);
      }
    }
    assert.ok(run && counter, "the walkthrough starts two sims and ends with run");
    const endpoint = (await run.waitFor(/Pair 'Line4' serves its OPC UA clients at (opc\.tcp:\/\/\S+)\.$/m))[1];
    assert.equal(endpoint, `opc.tcp://127.0.0.1:${ports[0]}`, "the URL README shows, with the port init was given");

    // what README tells the user to do next: read the Counter at the URL run printed
    const first = await readCounter(endpoint, counter.uri, counter.identifier);
    assert.equal(first.status, "Good", first.nodeId);
    console.log(`# the Counter through the endpoint: ${first.nodeId}`);
    assert.equal(typeof first.value, "number");

    // kill the primary's sim: the client reads on, from the secondary
    shells[0].signal("SIGKILL");
    await run.waitFor(/Promoted active connection for server 'Line4' to secondary machine 'plc-b'/);
    const later = await readCounter(endpoint, counter.uri, counter.identifier);
    assert.equal(later.status, "Good");
    assert.ok(later.value > first.value, `the Counter counts on: ${first.value} → ${later.value}`);

    run.signal("SIGINT");
    await run.closed;
    assert.match(run.out, /redundancymaster: stopping \(SIGINT\)/);
  });
});
