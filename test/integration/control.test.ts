import assert from "node:assert/strict";
import { fork, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, ResponseError, type MessageConnection } from "vscode-jsonrpc/node";
import { Methods, setSecrets, type PairSnapshot, type RuntimeEvent } from "../../engine/src/control/protocol";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { userName } from "../../engine/src/host/actor";
import { eventLogFile } from "../../engine/src/state/stateDir";
import { startSims } from "../support/startSims";
import { ENGINE_BUNDLE, ensureEngineBuilt, REPO_ROOT, runEngineCli } from "../support/engineCli";

/** Who the audit events name for what this test does through the control channel: the OS user in the extension. */
const OPERATOR = `${userName()} (extension)`;

// Ports 22920–22929 belong to this file.
const config = `<?xml version="1.0" encoding="UTF-8"?>
<redundancyMaster version="1">
  <server name="Line4" port="22922">
    <primary host="sim-a" url="opc.tcp://127.0.0.1:22920"/>
    <secondary host="sim-b" url="opc.tcp://127.0.0.1:22921"/>
    <connection mode="warm" alwaysReconnectToPrimary="false" statusIntervalMs="2000" statusTimeoutMs="1500"/>
    <monitoring failureCount="2">
      <item id="ns=2;s=Counter" trigger="badQuality"/>
      <item id="ns=2;s=NotOnEitherSide" trigger="badQuality"/>
    </monitoring>
  </server>
  <diagnostics maxEvents="1000" preserveOnShutdown="true"/>
</redundancyMaster>
`;

/** Waits until `test` holds (every 100 ms), failing after timeoutMs with `what`. */
async function until(test: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!test()) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("control channel (JSON-RPC over the IPC of a forked engine)", () => {
  let dir: string;
  let sims: SimProcess[] = [];
  let engine: ChildProcess;
  let exited: Promise<number | null>;
  let rpc: MessageConnection;
  let stderr = "";
  const events: RuntimeEvent[] = [];
  const changes: PairSnapshot[] = [];
  /** Every promotion so far: a switch the test did not cause fails it. */
  const promotions = () => events.filter((e) => e.id.startsWith("promoted.")).map((e) => e.id);

  before(async () => {
    await ensureEngineBuilt();
    dir = await mkdtemp(join(tmpdir(), "rm-control-"));
    await writeFile(join(dir, "redundancymaster.xml"), config);
    sims = await startSims([
      { port: 22920, identity: "sim-a" },
      { port: 22921, identity: "sim-b" },
    ]);
    engine = fork(ENGINE_BUNDLE, ["run", join(dir, "redundancymaster.xml"), "--control", "ipc", "--state-dir", join(dir, "state")], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      execArgv: [],
    });
    engine.stdout!.resume();
    engine.stderr!.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    exited = new Promise((done) => engine.once("exit", (code) => done(code)));
    rpc = createMessageConnection(new IPCMessageReader(engine), new IPCMessageWriter(engine));
    rpc.onNotification(Methods.event, (e) => {
      events.push(e);
    });
    rpc.onNotification(Methods.pairChanged, (p) => {
      changes.push(p);
    });
    rpc.listen();
    void rpc.sendNotification(setSecrets, { smtpPasswords: { primary: "not-a-real-password" } });
  });

  after(async () => {
    // Set only when before() got that far.
    if (engine && engine.exitCode === null) engine.kill("SIGKILL");
    rpc?.dispose();
    await Promise.all(sims.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it("snapshot: a pair without a record on this machine is Disabled, and the log says how to enable it", async () => {
    await until(() => events.some((e) => e.id === "pairNotEnabled") || /running \d+ of/.test(stderr), "the engine start");
    const snapshot = await rpc.sendRequest(Methods.snapshot);
    assert.equal(snapshot.configFile, join(dir, "redundancymaster.xml"));
    assert.deepEqual(
      snapshot.pairs.map((p) => [p.name, p.status, p.enabled]),
      [["Line4", "Disabled", false]],
    );
    assert.deepEqual(snapshot.metrics.pairs, {}, "a disabled pair has no figures");
    assert.ok(snapshot.metrics.engine.rssBytes > 10e6, `the engine's RSS in the snapshot: ${snapshot.metrics.engine.rssBytes}`);
    const listed = await rpc.sendRequest(Methods.listEvents, {});
    // the extension runs the engine this way: its hint names the extension's command, not a CLI its users may not have
    assert.match(listed.find((e) => e.id === "pairNotEnabled")!.text, /Enable it with the command 'Enable Redundancy' \(right-click 'Line4' in the Server Pairs view\)\.$/);
  });

  it("setEnabled starts the pair; pairChanged and event notifications follow it", async () => {
    const enabled = await rpc.sendRequest(Methods.setEnabled, { pair: "Line4", enabled: true });
    assert.equal(enabled.enabled, true);
    await until(() => changes.some((p) => p.name === "Line4" && p.status === "Paired and Available" && p.active !== null), "Paired and Available").catch((err: Error) =>
      assert.fail(`${err.message}; states: ${changes.map((p) => `${p.status}/${p.active}`).join(", ")}; events: ${events.map((e) => e.text).join(" | ")}`),
    );
    const audit = events.find((e) => e.id === "pairEnabled" && e.pair === "Line4");
    assert.equal(audit?.text, `Redundancy enabled for 'Line4' by ${OPERATOR}.`);
    assert.ok(events.some((e) => e.id === "connected.primary" && e.pair === "Line4"));
    assert.deepEqual(promotions(), ["promoted.primary"], `both sides were up before the pair started: the primary is active first; events: ${events.map((e) => e.text).join(" | ")}`);
    const state = JSON.parse(await readFile(join(dir, "state", "enabled.json"), "utf8"));
    assert.deepEqual(state.configs[join(dir, "redundancymaster.xml")], { Line4: true });
  });

  it("refuses an unknown pair with a clear error", async () => {
    await assert.rejects(rpc.sendRequest(Methods.setEnabled, { pair: "Line9", enabled: true }), (err: ResponseError) => {
      assert.ok(err instanceof ResponseError);
      assert.match(err.message, /no pair named 'Line9'.*pairs: Line4/);
      return true;
    });
  });

  it("testConnection reports both sides and the configured items each lacks", async () => {
    const result = await rpc.sendRequest(Methods.testConnection, { pair: "Line4" });
    assert.equal(result.primary.reachable, true, result.primary.detail);
    assert.equal(result.secondary.reachable, true, result.secondary.detail);
    assert.ok(result.primary.securityModes?.includes("None"));
    assert.deepEqual(result.missingOnPrimary, ["ns=2;s=NotOnEitherSide"]);
    assert.deepEqual(result.missingOnSecondary, ["ns=2;s=NotOnEitherSide"]);
  });

  it("forceFailover makes the other side active, logged as an operator's action and not as a failure's promotion", async () => {
    assert.equal((await rpc.sendRequest(Methods.snapshot)).pairs[0].active, "primary", "no switch since the pair started");
    const failovers = (await rpc.sendRequest(Methods.metrics)).pairs.Line4.failovers;
    const switched = await rpc.sendRequest(Methods.forceFailover, { pair: "Line4" });
    assert.equal(switched.name, "Line4");
    await until(() => changes.at(-1)?.active === "secondary", "the switch to the secondary");
    await until(() => events.some((e) => e.id === "failoverForced.secondary"), "failoverForced.secondary");
    assert.deepEqual(promotions(), ["promoted.primary"], "no promoted event, which reads like a failure's");
    const logged = await rpc.sendRequest(Methods.listEvents, {});
    const request = logged.find((e) => e.id === "failoverRequested");
    assert.equal(request?.text, `Failover of 'Line4' requested by ${OPERATOR}: the secondary is now active.`);
    assert.match(logged.find((e) => e.id === "failoverForced.secondary")!.text, /^Forced failover: .* as an operator asked\.$/);
    const figures = (await rpc.sendRequest(Methods.metrics)).pairs.Line4;
    assert.equal(figures.failovers, failovers + 1, "the forced switch counts as a failover");
    assert.ok(figures.lastSwitchMs !== undefined && figures.lastSwitchMs >= 0, `with its duration: ${JSON.stringify(figures)}`);
  });

  it("listEvents, saveEvents and resetEvents", async () => {
    const last = await rpc.sendRequest(Methods.listEvents, { limit: 2 });
    assert.equal(last.length, 2);
    assert.equal(last[1].seq, last[0].seq + 1);
    const file = join(dir, "saved.log");
    const { count } = await rpc.sendRequest(Methods.saveEvents, { file });
    const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
    assert.equal(lines.length, count);
    assert.ok(
      lines.every((l) => l.split("\t").length === 7),
      "seven tab-separated fields a line",
    );
    await assert.rejects(rpc.sendRequest(Methods.saveEvents, { file: join(file, "under-a-file.log") }), /ENOTDIR/);
    await rpc.sendRequest(Methods.resetEvents);
    assert.deepEqual(await rpc.sendRequest(Methods.listEvents, {}), []);
  });

  it("testEmail answers through the notifier (no recipients configured: nothing to report)", async () => {
    assert.deepEqual(await rpc.sendRequest(Methods.testEmail), []);
  });

  it("reload says nothing changed for the same file, and who asked", async () => {
    assert.deepEqual(await rpc.sendRequest(Methods.reload), { applied: true, detail: "nothing changed" });
    const reloaded = (await rpc.sendRequest(Methods.listEvents, {})).filter((e) => e.id === "configReloaded").at(-1);
    assert.equal(reloaded?.text, `Configuration reloaded from '${join(dir, "redundancymaster.xml")}' (${OPERATOR}): nothing changed.`);
  });

  it("disable on the command line while the engine runs is logged as the command line's, by the OS user", async () => {
    const run = await runEngineCli(["disable", join(dir, "redundancymaster.xml"), "Line4", "--state-dir", join(dir, "state")]);
    assert.equal(run.code, 0, run.stderr);
    await until(() => events.some((e) => e.id === "pairDisabled"), "pairDisabled");
    assert.equal(events.find((e) => e.id === "pairDisabled")!.text, `Redundancy disabled for 'Line4' by ${userName()} (command line).`);
  });

  it("shutdown stops the engine gracefully, exit 0, the password never in its output", async () => {
    await rpc.sendRequest(Methods.shutdown);
    assert.equal(await exited, 0, stderr);
    assert.doesNotMatch(stderr, /not-a-real-password/);
    const saved = JSON.parse(await readFile(eventLogFile(join(dir, "state"), join(dir, "redundancymaster.xml")), "utf8"));
    assert.ok(
      saved.events.some((e: RuntimeEvent) => e.id === "configReloaded"),
      "events after the reset were preserved",
    );
    assert.equal(saved.events.at(-1).text, `The engine is stopping, as ${OPERATOR} asked.`, "the stop is the log's last word, and says who");
  });
});
