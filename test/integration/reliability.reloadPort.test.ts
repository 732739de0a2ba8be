import assert from "node:assert/strict";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { OPCUAClient } from "node-opcua";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { EnabledStore } from "../../engine/src/state/enabledStore";
import { producedByBoth, watchCounter } from "../support/counterWatch";
import { ensureEngineBuilt } from "../support/engineCli";
import { EngineRun } from "../support/engineRun";
import { reservePort } from "../support/portReservation";
import { startSims } from "../support/startSims";

// Ports 23740–23743 belong to this file.
const [SIM_A, SIM_B, OLD_PORT, NEW_PORT] = [23740, 23741, 23742, 23743];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const config = (port: number) => `<?xml version="1.0" encoding="UTF-8"?>
<redundancyMaster version="1">
  <server name="Line" port="${port}">
    <primary host="a" url="opc.tcp://127.0.0.1:${SIM_A}"/>
    <secondary host="b" url="opc.tcp://127.0.0.1:${SIM_B}"/>
    <connection mode="hot" statusIntervalMs="2000" statusTimeoutMs="1500"/>
  </server>
</redundancyMaster>
`;

describe("reliability: a reload never leaves a pair unserved", () => {
  it("moving a pair to a port another program holds keeps it serving on its old port, and moves it once the port is free", async () => {
    await ensureEngineBuilt();
    for (const port of [SIM_A, SIM_B, OLD_PORT, NEW_PORT]) assert.ok(reservePort(port), `port ${port} is free of other test processes`);
    const dir = await mkdtemp(join(tmpdir(), "rm-reload-port-"));
    const file = join(dir, "redundancymaster.xml");
    const stateDir = join(dir, "state");
    const holder = createServer();
    const clients: OPCUAClient[] = [];
    let sims: SimProcess[] = [];
    let engine: EngineRun | undefined;
    try {
      await writeFile(file, config(OLD_PORT));
      await new EnabledStore(join(stateDir, "enabled.json")).set(file, ["Line"], true);
      sims = await startSims([
        { port: SIM_A, identity: "sim-a" },
        { port: SIM_B, identity: "sim-b" },
      ]);
      const produced = await Promise.all(sims.map((s) => watchCounter(s.url, clients)));
      engine = new EngineRun([file, "--state-dir", stateDir]);
      const received = await watchCounter(`opc.tcp://127.0.0.1:${OLD_PORT}`, clients);
      const troubles: string[] = [];
      for (const event of ["connection_lost", "close"] as const) clients.at(-1)!.on(event, () => troubles.push(event));
      await new Promise<void>((listening) => holder.listen(NEW_PORT, listening));

      const from = Date.now();
      await writeFile(`${file}.saving`, config(NEW_PORT));
      await rename(`${file}.saving`, file);
      await engine.waitFor("Line", new RegExp(`^Pair 'Line' keeps serving on port ${OLD_PORT}: its new port ${NEW_PORT} is in use\\. `));
      await engine.waitFor("engine", /^Configuration reloaded from .*: waiting for a free port: 'Line'\.$/);
      await sleep(5000);
      const to = Date.now() - 1000;
      assert.deepEqual(troubles, [], "the client of the old port kept its connection");
      const expected = producedByBoth(produced, from, to);
      assert.ok(expected.length >= 20, `the sims produced a Counter to compare with (${expected.length} values both had)`);
      assert.deepEqual(
        expected.filter((v) => !received.has(v)),
        [],
        "and got every value while the new port was taken",
      );

      await new Promise<void>((closed) => holder.close(() => closed()));
      const moved = await watchCounter(`opc.tcp://127.0.0.1:${NEW_PORT}`, clients);
      await sleep(1500);
      assert.ok(moved.size > 0, "once the port is free, the pair serves on it");
      assert.deepEqual(
        engine.lines.filter((l) => l.where === "?"),
        [],
        "stdout carries event lines only",
      );
    } finally {
      if (holder.listening) holder.close();
      await Promise.all(clients.map((c) => c.disconnect().catch(() => undefined)));
      await engine?.close();
      await Promise.all(sims.map((s) => s.close()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
