import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AttributeIds, OPCUAClient } from "node-opcua";
import { STANDARD_NAMESPACE } from "../../engine/src/namespaces/namespaceIdentity";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { SIM_NAMESPACE, SimNodes } from "../../engine/src/sim/simServer";
import { namespaceFile } from "../../engine/src/state/stateDir";
import { ensureEngineBuilt, runEngineCli } from "../support/engineCli";
import { EngineRun } from "../support/engineRun";
import { startSims } from "../support/startSims";

// Ports 23420–23429 belong to this file.
const PRIMARY = 23420;
const SECONDARY = 23421;
const ENDPOINT = 23422;
const PAIR = "Line4";

// The two servers number the plant differently: ns=3 on the primary, ns=4 on the secondary.
const PLUGIN_A = "urn:vendor:plugin-a";
const PLUGIN_B = "urn:vendor:plugin-b";
const PLUGIN_C = "urn:vendor:plugin-c";
const PLUGIN_D = "urn:vendor:plugin-d";

/** One pair with a monitor item on the plant's Quality node, named by `itemId`. */
const config = (itemId: string) => `<?xml version="1.0" encoding="UTF-8"?>
<redundancyMaster version="1">
  <server name="${PAIR}" port="${ENDPOINT}">
    <primary host="plc-a" url="opc.tcp://127.0.0.1:${PRIMARY}"/>
    <secondary host="plc-b" url="opc.tcp://127.0.0.1:${SECONDARY}"/>
    <connection mode="hot" alwaysReconnectToPrimary="false" statusIntervalMs="2000" statusTimeoutMs="1500"/>
    <monitoring failureCount="1">
      <item id="${itemId}" updateRateMs="500" trigger="badQuality"/>
    </monitoring>
  </server>
  <diagnostics preserveOnShutdown="false"/>
</redundancyMaster>
`;

describe("the endpoint's namespace indexes across engine restarts (a real engine process)", () => {
  let dir: string;
  let file: string;
  let primary: SimProcess;
  let secondary: SimProcess;
  let engine: EngineRun | undefined;

  before(async () => {
    await ensureEngineBuilt();
    dir = await mkdtemp(join(tmpdir(), "rm-namespaces-"));
    file = join(dir, "redundancymaster.xml");
    [primary, secondary] = await startSims([
      { port: PRIMARY, identity: "primary", namespacesBefore: [PLUGIN_A] },
      { port: SECONDARY, identity: "secondary", namespacesBefore: [PLUGIN_B, PLUGIN_C] },
    ]);
  });
  after(async () => {
    await stopEngine();
    await Promise.all([primary?.close(), secondary?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  /** The side's monitor test passed (its item found in its own numbering), with no item that failed to add. */
  async function monitorPassed(side: "primary" | "secondary"): Promise<void> {
    await engine!.waitFor(`${PAIR}/${side}`, /^Monitor item test passed/, 60_000);
    assert.deepEqual(
      engine!.matching(`${PAIR}/${side}`, /^Attempt to add monitor item/).map((l) => l.text),
      [],
    );
  }

  function output(): string {
    return `engine output:\n${engine?.lines.map((l) => `[${l.where}] ${l.text}`).join("\n")}\n${engine?.stderr}`;
  }

  async function startEngine(stateDir: string): Promise<void> {
    const enabled = await runEngineCli(["enable", file, PAIR, "--state-dir", stateDir]);
    assert.equal(enabled.code, 0, enabled.stderr);
    engine = new EngineRun([file, "--state-dir", stateDir]);
  }

  async function stopEngine(): Promise<void> {
    if (!engine) return;
    engine.signal("SIGTERM");
    await Promise.race([engine.exited, new Promise((done) => setTimeout(done, 10_000))]);
    await engine.close();
    engine = undefined;
  }

  /** The endpoint's namespace table once it serves the plant, and the Identity it reads at the plant's index there. */
  async function endpointTable(): Promise<{ table: string[]; identity: unknown }> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
      try {
        await client.connect(`opc.tcp://127.0.0.1:${ENDPOINT}`);
        const session = await client.createSession();
        const table = await session.readNamespaceArray();
        const ns = table.indexOf(SIM_NAMESPACE);
        if (ns > 0) {
          const identity = await session.read({ nodeId: `ns=${ns};s=${SimNodes.identity}`, attributeId: AttributeIds.Value });
          if (identity.statusCode.isGood()) return { table, identity: identity.value.value };
        }
      } catch {
        // not serving yet
      } finally {
        await client.disconnect().catch(() => undefined);
      }
      if (Date.now() > deadline) throw new Error(`the endpoint did not serve the plant within 60 s; ${output()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** The table after `side` (re)connected and was mirrored: it has `uri`. */
  async function tableWith(uri: string): Promise<string[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { table } = await endpointTable();
      if (table.includes(uri)) return table;
      if (Date.now() > deadline) throw new Error(`the endpoint's table never got ${uri}: ${table.join(", ")}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it("numbers the primary's namespaces first and keeps every index when the engine restarts with the secondary up first", async () => {
    // The monitor item as the primary numbers the plant (ns=3): the secondary checks its own ns=4.
    await writeFile(file, config(`ns=3;s=${SimNodes.quality}`));
    const stateDir = join(dir, "state-1");
    await startEngine(stateDir);
    const first = await tableWith(PLUGIN_B);
    assert.deepEqual(first.slice(2, 5), ["urn:redundancymaster:sim:primary", PLUGIN_A, SIM_NAMESPACE], `the primary's order first: ${first.join(", ")}; ${output()}`);
    assert.ok(first.indexOf(PLUGIN_B) > first.indexOf(SIM_NAMESPACE), "the secondary's own namespaces after them");
    const plant = first.indexOf(SIM_NAMESPACE);
    await monitorPassed("primary");
    await monitorPassed("secondary");
    await stopEngine();

    // The engine comes back while the primary is down: the secondary (plant at ns=4 there) serves, at the same endpoint index.
    await primary.kill();
    await startEngine(stateDir);
    const second = await endpointTable();
    assert.equal(second.identity, "secondary");
    assert.deepEqual(second.table.slice(0, first.length), first, "no index moved");
    await monitorPassed("secondary");

    // The primary returns with a namespace the endpoint has not seen: it is appended.
    await primary.restart(undefined, { namespacesBefore: [PLUGIN_D, PLUGIN_A] });
    const third = await tableWith(PLUGIN_D);
    assert.deepEqual(third, [...first, PLUGIN_D]);
    await stopEngine();
    const stored = JSON.parse(await readFile(namespaceFile(stateDir, file, PAIR), "utf8"));
    assert.deepEqual(stored.endpoint, third.slice(2), "the indexes kept in the state folder");
    assert.deepEqual(stored.primary, [STANDARD_NAMESPACE, "urn:redundancymaster:sim:primary", PLUGIN_D, PLUGIN_A, SIM_NAMESPACE], "and the primary's table as last seen");

    await startEngine(stateDir);
    const fourth = await endpointTable();
    assert.deepEqual(fourth.table, third, "kept across the restart");
    assert.equal(fourth.table.indexOf(SIM_NAMESPACE), plant);
    await stopEngine();
  });

  it("on a fresh state folder whose primary is down, numbers the secondary's namespaces, and keeps them when the primary comes", async () => {
    // By namespace URI, the item means the same on both servers from the start.
    await writeFile(file, config(`nsu=${SIM_NAMESPACE};s=${SimNodes.quality}`));
    const stateDir = join(dir, "state-2");
    await primary.kill();
    await startEngine(stateDir);
    const first = await endpointTable();
    assert.equal(first.identity, "secondary");
    assert.deepEqual(first.table.slice(2, 6), ["urn:redundancymaster:sim:secondary", PLUGIN_B, PLUGIN_C, SIM_NAMESPACE]);
    await monitorPassed("secondary");
    await primary.restart(undefined, { namespacesBefore: [PLUGIN_A] });
    const second = await tableWith(PLUGIN_A);
    assert.deepEqual(second.slice(0, first.table.length), first.table, "nothing renumbered");
    await stopEngine();
    await startEngine(stateDir);
    assert.deepEqual((await endpointTable()).table, second, "kept across the restart, both sides up");
  });
});
