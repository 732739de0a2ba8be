import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { AttributeIds, OPCUAClient } from "node-opcua";
import { actor } from "../../engine/src/host/actor";
import { ENGINE_BUNDLE, engineCopyIn, ensureEngineBuilt, removeEngineCopy, REPO_ROOT, runEngineCli } from "../support/engineCli";
import { EngineRun, exactLine } from "../support/engineRun";

// Ports 23250–23259 belong to this file.
const SIM_PORTS = [23250, 23251] as const;
const ENDPOINT_PORT = 23252;
const W27 = /security-revert|CVE-2023-46809/;

/** A CLI process whose output is kept, in its own process group (as a terminal starts it). */
class Cli {
  stdout = "";
  stderr = "";
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(command, args, { cwd: REPO_ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_update_notifier: "false", ...env } });
    this.child.stdout!.on("data", (d: Buffer) => (this.stdout += d));
    this.child.stderr!.on("data", (d: Buffer) => (this.stderr += d));
    // "close": every process holding the pipes has ended, the engine that npm left behind included
    this.closed = new Promise((done) => this.child.once("close", (code, signal) => done({ code, signal })));
  }

  async waitFor(text: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = text.exec(this.stdout) ?? text.exec(this.stderr);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no ${text} within ${timeoutMs} ms:\n${this.stdout}\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Ctrl+C in a terminal: SIGINT to the whole process group. */
  interrupt(): void {
    process.kill(-this.child.pid!, "SIGINT");
  }

  kill(): void {
    try {
      process.kill(-this.child.pid!, "SIGKILL");
    } catch {
      /* gone */
    }
  }
}

async function readValue(url: string, nodeId: string): Promise<{ status: string; value: unknown }> {
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
  try {
    await client.connect(url);
    const session = await client.createSession();
    const dv = await session.read({ nodeId, attributeId: AttributeIds.Value });
    await session.close();
    return { status: dv.statusCode.name, value: dv.value.value };
  } finally {
    await client.disconnect();
  }
}

describe("the CLI of a new user's first hour", () => {
  const dir = mkdtempSync(join(tmpdir(), "rm-first-hour-cli-"));
  const sims: Cli[] = [];
  before(async () => {
    await ensureEngineBuilt();
    for (const [i, port] of SIM_PORTS.entries()) sims.push(new Cli(process.execPath, [ENGINE_BUNDLE, "sim", "--port", String(port), "--identity", i === 0 ? "plc-a" : "plc-b"]));
    await Promise.all(sims.map((s) => s.waitFor(/^ {2}ns=2;s=Tank\.Level /m, 90_000)));
  });
  after(async () => {
    for (const s of sims) s.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sim prints its URL, its namespace and NodeIds that read Good, and nothing about CVE-2023-46809", async () => {
    const out = sims[0].stdout;
    assert.match(out, /^simulated server 'plc-a' listening on opc\.tcp:\/\/127\.0\.0\.1:23250$/m);
    assert.match(out, /^ {2}namespace urn:redundancymaster:sim is ns=2; a few of its nodes:$/m);
    const ids = [...out.matchAll(/^ {2}(ns=2;s=\S+) +\S/gm)].map((m) => m[1]);
    assert.deepEqual(ids, ["ns=2;s=Counter", "ns=2;s=Watchdog", "ns=2;s=Channel_1.Device_1.Tag_1", "ns=2;s=Tank.Level"]);
    for (const id of ids) assert.equal((await readValue("opc.tcp://127.0.0.1:23250", id)).status, "Good", id);
    assert.doesNotMatch(out + sims[0].stderr, W27);
  });

  it("init writes a working config for two URLs, machines named after the servers, and never overwrites one", async () => {
    const file = join(dir, "plant", "redundancymaster.xml");
    const [a, b] = SIM_PORTS.map((p) => `opc.tcp://127.0.0.1:${p}`);
    const r = await runEngineCli(["init", a, b, "--name", "Line4", "--port", String(ENDPOINT_PORT), "--out", file], 60_000);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^wrote ${file}: pair 'Line4', warm mode with failback to the primary; its clients connect on port ${ENDPOINT_PORT}$`, "m"));
    assert.match(r.stdout, new RegExp(`^  redundancymaster enable ${file} --all$`, "m"));
    const text = readFileSync(file, "utf8");
    assert.match(text, /<primary host="plc-a" url="opc\.tcp:\/\/127\.0\.0\.1:23250"\/>/);
    assert.match(text, /<secondary host="plc-b" url="opc\.tcp:\/\/127\.0\.0\.1:23251"\/>/);
    assert.equal((await runEngineCli(["validate", file])).code, 0, "the written config has no findings");
    const again = await runEngineCli(["init", a, b, "--out", file]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists; choose another --out, or --force to replace it/);
    assert.equal(readFileSync(file, "utf8"), text, "the file is kept");

    const offline = await runEngineCli(["init", "opc.tcp://127.0.0.1:23258", "opc.tcp://127.0.0.1:23259", "--out", join(dir, "offline.xml"), "--name", "Offline"], 60_000);
    assert.equal(offline.code, 0, offline.stderr);
    assert.match(offline.stderr, /^opc\.tcp:\/\/127\.0\.0\.1:23258 did not answer \(connect ECONNREFUSED 127\.0\.0\.1:23258\); named after its URL$/m);
    assert.match(readFileSync(join(dir, "offline.xml"), "utf8"), /<primary host="127\.0\.0\.1:23258" url=/, "same host, no names: host:port tells the sides apart");
  });

  it("run prints where clients connect; the enable command its hint names, run as printed, enables the pair; Ctrl+C ends it with 0", async () => {
    const file = join(dir, "plant", "redundancymaster.xml");
    const stateDir = join(dir, "state");
    const engine = new EngineRun([file, "--state-dir", stateDir]);
    try {
      await engine.waitFor("Line4", /is not enabled on this machine/);
      const hint = engine.matching("Line4", /is not enabled/)[0].text;
      const command = /Enable it with '(redundancymaster enable [^']+)'\.$/.exec(hint)?.[1];
      assert.equal(command, `redundancymaster enable ${file} Line4 --state-dir ${stateDir}`, "the engine's own state folder, which is not the default");
      // the command as printed; `redundancymaster` is the bundle
      const enabled = await runEngineCli(command!.split(" ").slice(1));
      assert.equal(enabled.code, 0, enabled.stderr);
      await engine.waitFor("Line4", exactLine(`Redundancy enabled for 'Line4' by ${actor("command line")}.`));
      await engine.waitFor("Line4", new RegExp(`^Pair 'Line4' serves its OPC UA clients at opc\\.tcp://\\S+:${ENDPOINT_PORT}\\.$`), 60_000);
      // Ctrl+C under npx reaches the engine twice: from the terminal, and forwarded by npm
      engine.signal("SIGINT");
      engine.signal("SIGINT");
      assert.deepEqual(await engine.exited, { code: 0, signal: null });
      assert.match(engine.stderr, /redundancymaster: stopping \(SIGINT\)/);
      assert.doesNotMatch(engine.stderr + engine.lines.map((l) => l.text).join("\n"), W27);
    } finally {
      await engine.close();
    }
  });

  it("under npx, npm reports 130 for Ctrl+C, and the engine still stops cleanly (what README says)", async () => {
    const file = join(dir, "plant", "redundancymaster.xml");
    const run = new Cli("npx", ["redundancymaster", "run", file, "--state-dir", join(dir, "npx-state")]);
    try {
      await run.waitFor(/redundancymaster: running 0 of 1 pairs/, 90_000);
      run.interrupt();
      const { code, signal } = await run.closed;
      assert.ok(code === 130 || signal === "SIGINT", `npx ended with ${code ?? signal}`);
      assert.match(run.stderr, /redundancymaster: stopping \(SIGINT\)/, "the engine heard the Ctrl+C and stopped");
      assert.ok(existsSync(join(dir, "npx-state", "events")), "and wrote its event log");
    } finally {
      run.kill();
    }
  });

  it("service prints a unit that systemd-analyze verify accepts, and refuses an engine the unit's PrivateTmp would hide", async (t) => {
    const unitDir = join(dir, "unit");
    // Both from copies of the bundle: one where a user installs it, one in /tmp.
    const installed = engineCopyIn(homedir());
    const hiddenCopy = engineCopyIn(tmpdir());
    t.after(() => [installed, hiddenCopy].forEach(removeEngineCopy));
    const r = await runEngineCli(["service", "--config", "/etc/redundancymaster/redundancymaster.xml"], undefined, undefined, installed);
    assert.equal(r.code, 0, r.stderr);
    const hidden = await runEngineCli(["service", "--config", "/etc/rm.xml"], undefined, undefined, hiddenCopy);
    assert.equal(hidden.code, 2);
    assert.match(hidden.stderr, /lies in \/tmp, which the unit's PrivateTmp=yes hides from the service/);
    const verify = await promisify(execFile)("sh", ["-c", "command -v systemd-analyze"]).then(
      () => true,
      () => false,
    );
    if (!verify) {
      t.skip("systemd-analyze is not installed here (Debian package systemd): the unit was not verified");
      return;
    }
    mkdirSync(unitDir);
    writeFileSync(join(unitDir, "redundancymaster.service"), r.stdout);
    const checked = await promisify(execFile)("systemd-analyze", ["verify", join(unitDir, "redundancymaster.service")]).then(
      (o) => ({ code: 0, out: o.stdout + o.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    assert.equal(checked.code, 0, checked.out);
    assert.doesNotMatch(checked.out, /redundancymaster\.service/, `systemd-analyze has something to say about the unit: ${checked.out}`);
  });
});
