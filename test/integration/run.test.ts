import assert from "node:assert/strict";
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AttributeIds, OPCUAClient } from "node-opcua";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { SIM_NAMESPACE } from "../../engine/src/sim/simServer";
import { eventLogFile } from "../../engine/src/state/stateDir";
import { startSims } from "../support/startSims";
import { ensureEngineBuilt, runEngineCli } from "../support/engineCli";
import { EngineRun } from "../support/engineRun";

// Ports 22910–22919 belong to this file.
const SIM_A = 22910;
const SIM_B = 22911;
const HELD_PORT = 22914;

/** Two pairs over the same two sims (crossed), so one reload can change one pair and leave the other. */
const config = (bStatusIntervalMs: number, broken = false) => `<?xml version="1.0" encoding="UTF-8"?>
<redundancyMaster version="1">
  <server name="Alpha" port="22912">
    <primary host="sim-a" url="opc.tcp://127.0.0.1:${SIM_A}"/>
    <secondary host="sim-b" url="opc.tcp://127.0.0.1:${SIM_B}"/>
    <connection mode="hot" statusIntervalMs="2000" statusTimeoutMs="1500"/>
  </server>
  <server name="Beta" port="22913">
    <primary host="sim-b" url="opc.tcp://127.0.0.1:${SIM_B}"/>
    <secondary host="sim-a" url="opc.tcp://127.0.0.1:${SIM_A}"/>
    <connection mode="${broken ? "tepid" : "warm"}" statusIntervalMs="${bStatusIntervalMs}" statusTimeoutMs="1500"/>
  </server>
  <diagnostics maxEvents="1000" preserveOnShutdown="true"/>
</redundancyMaster>
`;

describe("redundancymaster run (a real engine process)", () => {
  let dir: string;
  let file: string;
  let stateDir: string;
  let sims: SimProcess[] = [];
  let engine: EngineRun | undefined;

  before(async () => {
    await ensureEngineBuilt();
    dir = await mkdtemp(join(tmpdir(), "rm-run-"));
    file = join(dir, "redundancymaster.xml");
    stateDir = join(dir, "state");
    await writeFile(file, config(2000));
    sims = await startSims([
      { port: SIM_A, identity: "sim-a" },
      { port: SIM_B, identity: "sim-b" },
    ]);
    const enabled = await runEngineCli(["enable", file, "--all", "--state-dir", stateDir]);
    assert.equal(enabled.code, 0, enabled.stderr);
  });

  after(async () => {
    await engine?.close();
    await Promise.all(sims.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  /** Replaces the config the way editors save: a new file renamed over the old one. */
  const save = async (text: string) => {
    await writeFile(`${file}.saving`, text);
    await rename(`${file}.saving`, file);
  };

  it("connects the enabled pairs and prints one event a line", async () => {
    engine = new EngineRun([file, "--state-dir", stateDir]);
    for (const where of ["Alpha/primary", "Alpha/secondary", "Beta/primary", "Beta/secondary"]) await engine.waitFor(where, /^Connected to /);
    assert.deepEqual(
      engine.lines.filter((l) => l.where === "?"),
      [],
      "every stdout line is an event line",
    );
  });

  it("a reload that changes one pair restarts it only; the other keeps its sessions and its clients", async () => {
    // A client of Alpha's endpoint, as an HMI would be: it must not notice Beta's restart.
    const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 20, initialDelay: 250, maxDelay: 1000 } });
    const clientTroubles: string[] = [];
    for (const event of ["connection_lost", "start_reconnection", "close"] as const) client.on(event, () => clientTroubles.push(event));
    await client.connect("opc.tcp://127.0.0.1:22912");
    const session = await client.createSession();
    const ns = (await session.readNamespaceArray()).indexOf(SIM_NAMESPACE);
    const counter = async () => (await session.read({ nodeId: `ns=${ns};s=Counter`, attributeId: AttributeIds.Value })).value.value as number;
    try {
      const before = await counter();
      const alphaConnected = engine!.matching("Alpha/primary", /^Connected to /).length;
      const betaConnected = engine!.matching("Beta/primary", /^Connected to /).length;
      await save(config(2500));
      await engine!.waitFor("engine", /^Configuration reloaded from .*: restarted 'Beta'\.$/);
      await engine!.waitFor("Beta/primary", /^Connected to /, 30_000, betaConnected + 1);
      assert.equal(engine!.matching("Alpha/primary", /^Connected to /).length, alphaConnected, "Alpha was not reconnected");
      assert.deepEqual(engine!.matching("Alpha/primary", /^Disconnected /).concat(engine!.matching("Alpha/secondary", /^Disconnected /)), [], "Alpha's sessions stayed");
      assert.ok((await counter()) > before, "Alpha's client still reads live values in the same session");
      assert.deepEqual(clientTroubles, [], "Alpha's client kept its connection");
    } finally {
      await session.close().catch(() => undefined);
      await client.disconnect();
    }
  });

  it("an invalid file is refused and both pairs keep running", async () => {
    const before = engine!.lines.length;
    await save(config(2500, true));
    await engine!.waitFor("engine", /^Configuration .* was not applied \(file change\): 1 error \(line \d+:\d+ RM003 .*tepid.*the running pairs keep their previous settings\.$/);
    await new Promise((r) => setTimeout(r, 1500));
    const since = engine!.lines.slice(before);
    assert.deepEqual(
      since.filter((l) => /^(Disconnected|Failed|Unable)/.test(l.text)),
      [],
      "no pair was stopped or lost",
    );
    assert.equal(since.find((l) => l.where === "engine" && /not applied/.test(l.text))?.severity, "error");
  });

  it("SIGTERM stops gracefully with exit 0 and the log is preserved on disk", async () => {
    await save(config(2500)); // the running settings again: a save that changes nothing posts nothing
    await new Promise((r) => setTimeout(r, 1000));
    engine!.signal("SIGTERM");
    const { code } = await engine!.exited;
    assert.equal(code, 0, engine!.stderr);
    const saved = JSON.parse(await readFile(eventLogFile(stateDir, file), "utf8"));
    assert.equal(saved.events.length, engine!.lines.length, "every printed event is on disk");
    assert.deepEqual(
      saved.events.map((e: { text: string }) => e.text),
      engine!.lines.map((l) => l.text),
    );
  });

  it("the next run appends to the preserved log, seq continuing", async () => {
    const before = JSON.parse(await readFile(eventLogFile(stateDir, file), "utf8"));
    engine = new EngineRun([file, "--state-dir", stateDir]);
    await engine.waitFor("Alpha/primary", /^Connected to /);
    engine.signal("SIGINT");
    assert.equal((await engine.exited).code, 0);
    const after = JSON.parse(await readFile(eventLogFile(stateDir, file), "utf8"));
    assert.deepEqual(after.events.slice(0, before.events.length), before.events);
    assert.equal(after.events[before.events.length].seq, before.events.at(-1).seq + 1);
  });

  it("an endpoint port another program holds: the pair says it is not serving, serves once the port is free, and the engine still stops on SIGTERM", async () => {
    const holder = createServer();
    await new Promise<void>((listening) => holder.listen(HELD_PORT, listening));
    const heldFile = join(dir, "held.xml");
    const heldState = join(dir, "held-state");
    try {
      await writeFile(heldFile, config(2000).replace('port="22912"', `port="${HELD_PORT}"`));
      assert.equal((await runEngineCli(["enable", heldFile, "--all", "--state-dir", heldState])).code, 0);
      const held = new EngineRun([heldFile, "--state-dir", heldState]);
      try {
        await held.waitFor("Alpha", new RegExp(`^The endpoint of 'Alpha' is not serving its clients on port ${HELD_PORT}: .*EADDRINUSE`));
        await new Promise<void>((closed) => holder.close(() => closed()));
        await held.waitFor("Alpha", new RegExp(`^Pair 'Alpha' serves its OPC UA clients at opc\\.tcp://127\\.0\\.0\\.1:${HELD_PORT}\\.$`), 60_000);
        held.signal("SIGTERM");
        const exit = await Promise.race([held.exited, new Promise<undefined>((r) => setTimeout(r, 20_000))]);
        assert.equal(exit?.code, 0, `the engine exits (${held.stderr})`);
      } finally {
        await held.close();
      }
    } finally {
      holder.close();
    }
  });

  it("a config with errors is refused at start with validate's lines, exit 1", async () => {
    const broken = join(dir, "broken.xml");
    await writeFile(broken, config(2000, true));
    const r = await runEngineCli(["run", broken, "--state-dir", stateDir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken\.xml:\d+:\d+ error RM003 /);
  });
});
