import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { EnabledStore } from "../../engine/src/state/enabledStore";
import { ensureEngineBuilt } from "../support/engineCli";
import { EngineRun } from "../support/engineRun";
import { reservePort } from "../support/portReservation";
import { startSims } from "../support/startSims";

// Ports 23750–23752 belong to this file.
const [SIM_A, SIM_B, ENDPOINT] = [23750, 23751, 23752];
const SLOW_CLIENTS = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A slowloris client: a TCP connection to the endpoint that never says a word. */
const silentConnection = (port: number) =>
  new Promise<Socket>((done) => {
    const socket = connect(port, "127.0.0.1", () => done(socket));
    socket.on("error", () => done(socket));
  });

describe("reliability: clean streams", () => {
  it("under a slowloris beyond maxConnections, stdout carries event lines only; node-opcua's notes go to stderr, rate-limited", async () => {
    await ensureEngineBuilt();
    for (const port of [SIM_A, SIM_B, ENDPOINT]) assert.ok(reservePort(port), `port ${port} is free of other test processes`);
    const dir = await mkdtemp(join(tmpdir(), "rm-streams-"));
    const file = join(dir, "redundancymaster.xml");
    const stateDir = join(dir, "state");
    const sockets: Socket[] = [];
    let sims: SimProcess[] = [];
    let engine: EngineRun | undefined;
    try {
      await writeFile(
        file,
        `<?xml version="1.0" encoding="UTF-8"?>
<redundancyMaster version="1">
  <server name="Line" port="${ENDPOINT}" maxConnections="3">
    <primary host="a" url="opc.tcp://127.0.0.1:${SIM_A}"/>
    <secondary host="b" url="opc.tcp://127.0.0.1:${SIM_B}"/>
    <connection mode="hot"/>
  </server>
</redundancyMaster>
`,
      );
      await new EnabledStore(join(stateDir, "enabled.json")).set(file, ["Line"], true);
      sims = await startSims([
        { port: SIM_A, identity: "sim-a" },
        { port: SIM_B, identity: "sim-b" },
      ]);
      engine = new EngineRun([file, "--state-dir", stateDir]);
      await engine.waitFor("Line", /^Pair 'Line' serves its OPC UA clients at /);
      for (let i = 0; i < SLOW_CLIENTS; i++) sockets.push(await silentConnection(ENDPOINT));
      await engine.waitFor("Line", /^The endpoint of 'Line' refused (a client|\d+ clients), as it holds 3 connections, its maxConnections\.$/);
      await sleep(2000);

      assert.deepEqual(
        engine.lines.filter((l) => l.where === "?").map((l) => l.text),
        [],
        "every stdout line is an event line",
      );
      const refusalNotes = engine.stderr.split("\n").filter((l) => /maximum number of connection/.test(l));
      assert.ok(refusalNotes.length > 0, "node-opcua's note of a refused connection reaches stderr");
      assert.ok(refusalNotes.length <= 20, `at most 20 library lines in 10 s (${refusalNotes.length} of ${SLOW_CLIENTS - 3} refusals)`);
      assert.ok(
        refusalNotes.every((l) => l.startsWith("node-opcua: ") && !l.includes("\u001b")),
        "each marked as node-opcua's, without colour codes",
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await engine?.close();
      await Promise.all(sims.map((s) => s.close()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
