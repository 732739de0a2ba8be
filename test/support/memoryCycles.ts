import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { RuntimeEvent } from "../../engine/src/control/protocol";
import { EngineHost } from "../../engine/src/host/engineHost";
import { loadPairFactory } from "../../engine/src/host/pairFactory";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { EnabledStore } from "../../engine/src/state/enabledStore";
import { reservePort } from "./portReservation";
import { startSims } from "./startSims";

export interface MemoryCyclesOptions {
  /** 15 consecutive ports: two sims, the connected pair's endpoint, ten endpoints, two ports no server listens on. */
  firstPort: number;
  /** Times 10 unreachable pairs are added and removed again. */
  cycles: number;
  /** Times the connected pair is restarted (its settings changed) after the cycles. */
  restarts: number;
}

/** The engine's heap after a forced GC, in MB. */
export interface MemoryFigures {
  /** After one add/remove cycle and one restart (what is built once and kept is not a leak). */
  startMb: number;
  afterCyclesMb: number;
  afterRestartsMb: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The engine (an EngineHost in this process) with a connected hot pair of two sims, through which
 * `cycles` times 10 pairs of unreachable servers are added by a reload and removed by the next,
 * then the connected pair is restarted `restarts` times: the heap after a forced GC at the start,
 * after the cycles and after the restarts. Forces GC with --expose-gc set at run time, so that
 * only the process that loads this module runs with it.
 */
export async function measureMemoryCycles(options: MemoryCyclesOptions): Promise<MemoryFigures> {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const ports = Array.from({ length: 15 }, (_, i) => options.firstPort + i);
  for (const port of ports) if (!reservePort(port)) throw new Error(`port ${port} is claimed by another test process`);
  const [simA, simB, restartedPort] = ports;
  const endpoints = ports.slice(3, 13);
  const [deadA, deadB] = ports.slice(13);

  const restartedPair = (statusIntervalMs: number) => `
  <server name="R" port="${restartedPort}">
    <primary host="a" url="opc.tcp://127.0.0.1:${simA}"/>
    <secondary host="b" url="opc.tcp://127.0.0.1:${simB}"/>
    <connection mode="hot" statusIntervalMs="${statusIntervalMs}"/>
  </server>`;
  const unreachablePair = (i: number) => `
  <server name="U${i}" port="${endpoints[i]}">
    <primary host="a" url="opc.tcp://127.0.0.1:${deadA}"/>
    <secondary host="b" url="opc.tcp://127.0.0.1:${deadB}"/>
  </server>`;
  const config = (statusIntervalMs: number, unreachable: number) =>
    `<redundancyMaster version="1">${restartedPair(statusIntervalMs)}${Array.from({ length: unreachable }, (_, i) => unreachablePair(i)).join("")}</redundancyMaster>`;

  const heapMb = async () => {
    // Let closing sockets and timers run out before counting.
    await sleep(1000);
    gc();
    gc();
    return process.memoryUsage().heapUsed / 2 ** 20;
  };

  const dir = await mkdtemp(join(tmpdir(), "rm-memory-"));
  const file = join(dir, "redundancymaster.xml");
  const stateDir = join(dir, "state");
  let sims: SimProcess[] = [];
  let host: EngineHost | undefined;
  try {
    sims = await startSims([
      { port: simA, identity: "sim-a" },
      { port: simB, identity: "sim-b" },
    ]);
    await writeFile(file, config(1000, 0));
    await new EnabledStore(join(stateDir, "enabled.json")).set(file, ["R", ...endpoints.map((_, i) => `U${i}`)], true);
    const events: RuntimeEvent[] = [];
    host = new EngineHost({ configFile: file, stateDir, factory: await loadPairFactory(), watchConfig: false });
    host.onEvent((e) => events.push(e));
    await host.start();
    const h = host;
    const apply = async (text: string) => {
      await writeFile(`${file}.saving`, text);
      await rename(`${file}.saving`, file);
      const result = await h.reload();
      if (!result.applied) throw new Error(`the reload was refused: ${result.detail}`);
    };
    const listening = (pair: string) => events.filter((e) => e.id === "endpointListening" && e.pair === pair).length;
    const until = async (what: string, check: () => boolean, timeoutMs = 120_000) => {
      for (const deadline = Date.now() + timeoutMs; !check(); await sleep(100)) {
        if (Date.now() > deadline)
          throw new Error(
            `timed out waiting for ${what}; the last events:\n${events
              .slice(-15)
              .map((e) => `${e.time} ${e.id} ${e.text}`)
              .join("\n")}`,
          );
      }
    };
    let interval = 1000;
    const addAndRemove = async () => {
      const before = endpoints.map((_, i) => listening(`U${i}`));
      await apply(config(interval, 10));
      // Each endpoint waits up to 10 s for a first mirror of servers that never answer, then serves.
      await until("the 10 endpoints", () => endpoints.every((_, i) => listening(`U${i}`) > before[i]));
      await apply(config(interval, 0));
    };
    const restart = async () => {
      const before = listening("R");
      interval = interval === 1000 ? 1100 : 1000;
      await apply(config(interval, 0));
      await until("R serving again", () => listening("R") > before);
    };

    await until("R serving", () => listening("R") > 0);
    // One of each first: what node-opcua builds once (the nodeset's types, its caches) is not given back, and is not a leak.
    await addAndRemove();
    await restart();
    const startMb = await heapMb();
    for (let c = 0; c < options.cycles; c++) await addAndRemove();
    const afterCyclesMb = await heapMb();
    for (let r = 0; r < options.restarts; r++) {
      await restart().catch((error: Error) => {
        throw new Error(`restart ${r + 1}: ${error.message}`);
      });
    }
    const afterRestartsMb = await heapMb();
    if (!host.snapshot().pairs.find((p) => p.name === "R")?.active) throw new Error("the restarted pair serves no active side");
    return { startMb, afterCyclesMb, afterRestartsMb };
  } finally {
    await host?.stop();
    await Promise.all(sims.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  }
}
