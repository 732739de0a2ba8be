// What the engine survives, as figures: a flapping upstream link in each mode beside a calm pair
// (engine alive, the calm pair's lost values), a crowd of 100 clients at one endpoint with the
// default limits (clients served), and pairs added and removed by reloads (the heap after a
// forced GC against the start). The tests of the same (test/integration/reliability.*) assert the
// promises; these record the numbers.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { EnabledStore } from "../../engine/src/state/enabledStore";
import { vanishingClients } from "../support/clientCrowd";
import { ensureEngineBuilt, REPO_ROOT } from "../support/engineCli";
import { EngineRun } from "../support/engineRun";
import { FlapScenario } from "../support/flapScenario";
import type { MemoryFigures } from "../support/memoryCycles";
import { reservePort } from "../support/portReservation";
import { startSims } from "../support/startSims";
import { summarize, type BenchOptions, type BenchResult } from "./benchResult";
import { loadAverage } from "./support/procStats";

// Ports 23780–23787 (flap), 23790–23792 (sessions) and 23795–23809 (memory) belong to this benchmark.
const FLAP_FIRST_PORT = 23780;
const SESSIONS = { simA: 23790, simB: 23791, endpoint: 23792 };
const MEMORY_FIRST_PORT = 23795;
const CROWD = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run({ quick }: BenchOptions): Promise<BenchResult[]> {
  await ensureEngineBuilt();
  const flapS = quick ? 20 : 60;
  const cycles = quick ? 2 : 10;
  return [...(await flap(flapS)), ...(await sessions()), ...(await memory(cycles))];
}

/** FlapScenario (test/support/flapScenario.ts) for `seconds`: a cold, a warm and a hot pair flapping, a calm pair's client counting. */
async function flap(seconds: number): Promise<BenchResult[]> {
  const scenario = await FlapScenario.start({ firstPort: FLAP_FIRST_PORT });
  try {
    const from = Date.now();
    const load = loadAverage();
    await sleep(seconds * 1000);
    const to = Date.now() - 1000;
    const produced = scenario.producedBetween(from, to).length;
    const note = `${seconds} s of a cold, a warm and a hot pair whose primary's connections are cut after its 3rd–12th answer (${scenario.cuts} cuts), beside a calm hot pair; load average ${load}`;
    return [
      summarize("reliability.flap.engine_alive", [scenario.alive ? 1 : 0], "1 = alive", undefined, note),
      summarize("reliability.flap.calm_pair.lost_values", [scenario.lost(from, to).length], "values", undefined, `of ${produced} Counter values (10 Hz) both sims produced meanwhile; ${note}`),
    ];
  } finally {
    await scenario.close();
  }
}

/** 100 clients at once at one endpoint with the default limits (maxSessions and maxConnections 100), each with a session and a subscription. */
async function sessions(): Promise<BenchResult[]> {
  for (const port of Object.values(SESSIONS)) if (!reservePort(port)) throw new Error(`port ${port} is claimed by another test process`);
  const dir = await mkdtemp(join(tmpdir(), "rm-sessions-bench-"));
  const file = join(dir, "redundancymaster.xml");
  const stateDir = join(dir, "state");
  let sims: SimProcess[] = [];
  let engine: EngineRun | undefined;
  let crowd: ReturnType<typeof vanishingClients> | undefined;
  try {
    await writeFile(
      file,
      `<?xml version="1.0" encoding="UTF-8"?>
<redundancyMaster version="1">
  <server name="Plant" port="${SESSIONS.endpoint}">
    <primary host="a" url="opc.tcp://127.0.0.1:${SESSIONS.simA}"/>
    <secondary host="b" url="opc.tcp://127.0.0.1:${SESSIONS.simB}"/>
    <connection mode="hot" statusIntervalMs="2000" statusTimeoutMs="1500"/>
  </server>
</redundancyMaster>
`,
    );
    await new EnabledStore(join(stateDir, "enabled.json")).set(file, ["Plant"], true);
    sims = await startSims([
      { port: SESSIONS.simA, identity: "sim-a" },
      { port: SESSIONS.simB, identity: "sim-b" },
    ]);
    engine = new EngineRun([file, "--state-dir", stateDir]);
    // A first start makes the keys and certificates (seconds each on a loaded machine).
    await engine.waitFor("Plant", /^Pair 'Plant' serves its OPC UA clients at /, 180_000);
    const load = loadAverage();
    crowd = vanishingClients(`opc.tcp://127.0.0.1:${SESSIONS.endpoint}`, CROWD);
    const result = await crowd.result;
    const refusals = [...new Set(result.refused)].join(", ");
    return [
      summarize(
        "reliability.sessions.clients_served",
        [result.sessions],
        `of ${CROWD}`,
        undefined,
        `${CROWD} clients connect at once to one hot pair's endpoint with the default limits, each opening a session and a subscription to the Counter${refusals ? `; refused: ${refusals}` : ""}; load average ${load}`,
      ),
    ];
  } finally {
    crowd?.child.kill("SIGKILL");
    await engine?.close();
    await Promise.all(sims.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  }
}

/** measureMemoryCycles (test/support/memoryCycles.ts) in a process of its own. */
async function memory(cycles: number): Promise<BenchResult[]> {
  const load = loadAverage();
  const figures = await new Promise<MemoryFigures>((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/bench/support/memoryCyclesChild.ts", String(MEMORY_FIRST_PORT), String(cycles), "0"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString();
    });
    child.once("exit", (code) => {
      const line = /^RESULT (.*)$/m.exec(out);
      if (code === 0 && line) done(JSON.parse(line[1]) as MemoryFigures);
      else fail(new Error(`the memory run exited (${code}):\n${err.slice(-3000)}`));
    });
  });
  return [
    summarize(
      `reliability.memory.${cycles}_add_remove_cycles.heap_mb`,
      [figures.afterCyclesMb],
      "MB",
      [figures.startMb],
      `the engine's heap after a forced GC once 10 pairs (of unreachable servers) were added and removed by reloads ${cycles} times, beside a connected hot pair; baseline: the same after one such cycle (ratio 1.05 is the test's bound); load average ${load}`,
    ),
  ];
}
