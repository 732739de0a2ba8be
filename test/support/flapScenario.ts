import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OPCUAClient } from "node-opcua";
import type { ConnectionMode } from "../../engine/src/config/model";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { EnabledStore } from "../../engine/src/state/enabledStore";
import { producedByBoth, watchCounter } from "./counterWatch";
import { CuttingProxy } from "./cuttingProxy";
import { EngineRun } from "./engineRun";
import { reservePort } from "./portReservation";
import { startSims } from "./startSims";

export const FLAPPING_MODES: readonly ConnectionMode[] = ["cold", "warm", "hot"];

export interface FlapScenarioOptions {
  /** Eight consecutive ports: two sims, a cutting proxy in front of each, the calm pair's endpoint and one endpoint per flapping mode. */
  firstPort: number;
  /** What node runs for the engine (default the bundle's `run`). */
  entry?: string[];
}

/**
 * The engine with a flapping pair in each mode and one calm pair. Each flapping pair's primary is
 * reached through a proxy that cuts every connection right after relaying the server's 3rd, 4th …
 * 12th answer (one connection after another), at the latest 1 s after it opened: the engine's
 * session is cut while being opened, just after, and while its subscriptions are being made (the
 * cut that once killed the engine needed the connection to die just as an answer arrived; a plain
 * 100 ms cut lets no session open on a loaded machine, so the engine's paths after it go untried).
 * The cold pair's secondary is behind such a proxy too, as cold mode leaves a failed primary alone
 * while the secondary serves: it ping-pongs between two flapping sides. The calm pair uses the two
 * sims directly, in hot mode, and a client of its endpoint records the sims' 10 Hz Counter; plain
 * clients of the two sims say which values there were to get.
 */
export class FlapScenario {
  private readonly sims: SimProcess[] = [];
  readonly proxies: CuttingProxy[] = [];
  private readonly clients: OPCUAClient[] = [];
  /** Per sim, each Counter value its own client got, with when. */
  private readonly produced: Map<number, number>[] = [];
  /** Each Counter value the calm pair's client got, with when. */
  private received = new Map<number, number>();
  private engineRun: EngineRun | undefined;

  private constructor(readonly dir: string) {}

  get configFile(): string {
    return join(this.dir, "redundancymaster.xml");
  }

  get stateDir(): string {
    return join(this.dir, "state");
  }

  static async start(options: FlapScenarioOptions): Promise<FlapScenario> {
    const ports = Array.from({ length: 8 }, (_, i) => options.firstPort + i);
    for (const port of ports) if (!reservePort(port)) throw new Error(`port ${port} is claimed by another test process`);
    const scenario = new FlapScenario(await mkdtemp(join(tmpdir(), "rm-flap-")));
    try {
      await scenario.setUp(ports, options.entry);
    } catch (error) {
      await scenario.close();
      throw error;
    }
    return scenario;
  }

  get engine(): EngineRun {
    return this.engineRun!;
  }

  /** Counter values both sims' own clients got between `from` and `to` (ms epoch) that the calm pair's client never got. */
  lost(from: number, to: number): number[] {
    return this.producedBetween(from, to).filter((v) => !this.received.has(v));
  }

  /**
   * Counter values both sims' own clients got between `from` and `to`: what the calm pair's client
   * had to get. The count starts with the calm client's first value at the earliest: a
   * subscription's first value is the server's value when it is made, the ones before it were
   * never the client's to get.
   */
  producedBetween(from: number, to: number): number[] {
    const firstValueAt = Math.min(...this.received.values());
    return producedByBoth(this.produced, Math.max(from, firstValueAt), to);
  }

  /** When the first sim's own client got that value (ms epoch). */
  producedAt(value: number): number {
    return this.produced[0].get(value) ?? NaN;
  }

  /** When each sim's client and the calm pair's client got the values around `value` (for a failure's message). */
  around(value: number | undefined): string {
    if (value === undefined) return "";
    const times = (m: Map<number, number>) => [-2, -1, 0, 1, 2].map((d) => `${value + d}@${m.get(value + d) ?? "-"}`).join(" ");
    return `sim a: ${times(this.produced[0])}; sim b: ${times(this.produced[1])}; calm: ${times(this.received)}`;
  }

  /** Connections the proxies cut. */
  get cuts(): number {
    return this.proxies.reduce((n, p) => n + p.cuts, 0);
  }

  get alive(): boolean {
    return this.engine.exitCode === null;
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.disconnect().catch(() => undefined)));
    if (this.engineRun) {
      this.engineRun.signal("SIGTERM");
      await Promise.race([this.engineRun.exited, new Promise((done) => setTimeout(done, 10_000))]);
      await this.engineRun.close();
    }
    await Promise.all(this.proxies.map((p) => p.close()));
    await Promise.all(this.sims.map((s) => s.close()));
    await rm(this.dir, { recursive: true, force: true });
  }

  private async setUp(ports: number[], entry: string[] | undefined): Promise<void> {
    const [simA, simB, proxyA, proxyB, calmPort, ...flapPorts] = ports;
    const { configFile, stateDir } = this;
    const pair = (name: string, port: number, mode: ConnectionMode, primaryPort: number, secondaryPort = simB) => `  <server name="${name}" port="${port}">
    <primary host="a" url="opc.tcp://127.0.0.1:${primaryPort}"/>
    <secondary host="b" url="opc.tcp://127.0.0.1:${secondaryPort}"/>
    <connection mode="${mode}" alwaysReconnectToPrimary="${mode !== "cold"}" statusIntervalMs="1000" statusTimeoutMs="800"/>
  </server>`;
    const servers = [pair("Calm", calmPort, "hot", simA), ...FLAPPING_MODES.map((mode, i) => pair(flappingPair(mode), flapPorts[i], mode, proxyA, mode === "cold" ? proxyB : simB))];
    await writeFile(configFile, `<?xml version="1.0" encoding="UTF-8"?>\n<redundancyMaster version="1">\n${servers.join("\n")}\n</redundancyMaster>\n`);
    await new EnabledStore(join(stateDir, "enabled.json")).set(configFile, ["Calm", ...FLAPPING_MODES.map(flappingPair)], true);
    this.sims.push(
      ...(await startSims([
        { port: simA, identity: "sim-a" },
        { port: simB, identity: "sim-b" },
      ])),
    );
    for (const [port, target] of [
      [proxyA, simA],
      [proxyB, simB],
    ]) {
      this.proxies.push(await CuttingProxy.start({ port, target: { host: "127.0.0.1", port: target }, cutAfterMs: 1000, cutAfterServerChunks: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12] }));
    }
    // The sims' own clients first: the sessions cut links leave behind soon fill a sim's ten (node-opcua's default).
    for (const sim of this.sims) this.produced.push(await watchCounter(sim.url, this.clients));
    this.engineRun = new EngineRun([configFile, "--state-dir", stateDir], entry);
    this.received = await watchCounter(`opc.tcp://127.0.0.1:${calmPort}`, this.clients);
  }
}

export function flappingPair(mode: ConnectionMode): string {
  return `Flap.${mode}`;
}
