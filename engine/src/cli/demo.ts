import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RuntimeEvent } from "../control/protocol";
import type { EngineHost } from "../host/engineHost";
import type { SimProcess } from "../sim/simProcess";
import { canListen } from "./portCheck";
import { EXIT_FINDINGS, EXIT_OK, parseOptions, type CliIo, type Verb } from "./verb";

const PAIR = "Demo.Pair";

/** The embedded example: one pair in hot mode with failback, fast status polling, the sims' counter as monitor item. */
function demoConfig(ports: { primary: number; secondary: number; endpoint: number }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<redundancyMaster version="1">
  <server name="${PAIR}" port="${ports.endpoint}">
    <primary host="sim-primary" url="opc.tcp://127.0.0.1:${ports.primary}"/>
    <secondary host="sim-secondary" url="opc.tcp://127.0.0.1:${ports.secondary}"/>
    <connection mode="hot" alwaysReconnectToPrimary="true" statusIntervalMs="1000" statusTimeoutMs="900"/>
    <monitoring failureCount="1">
      <item id="ns=2;s=Counter" updateRateMs="100" trigger="noDataChange" triggerData="2000"/>
    </monitoring>
  </server>
  <diagnostics maxEvents="1000" preserveOnShutdown="false"/>
</redundancyMaster>
`;
}

/**
 * Below every system's ephemeral range (Linux 32768–60999, Windows and macOS 49152–65535): the demo
 * kills the primary and restarts it on its port, and meanwhile the local port of any outgoing
 * connection could take a port from the ephemeral range, failing the restart with EADDRINUSE. The
 * ports below 24000 are left to the project's tests, which run the demo beside their own servers.
 */
const DEMO_PORTS = { first: 24_000, last: 32_767 };

/** A port nobody listens on right now, picked at random so that the demo never clashes with a running service. */
async function freePort(): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const port = DEMO_PORTS.first + Math.floor(Math.random() * (DEMO_PORTS.last - DEMO_PORTS.first + 1));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${DEMO_PORTS.first}–${DEMO_PORTS.last}`);
}

/** Three free ports, all different. */
async function distinctFreePorts(): Promise<{ primary: number; secondary: number; endpoint: number }> {
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await freePort());
  const [primary, secondary, endpoint] = ports;
  return { primary, secondary, endpoint };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `test` holds, checking every 50 ms; throws `what` after timeoutMs, or at once when interrupted (Ctrl+C). */
async function until(test: () => boolean, timeoutMs: number, what: string, interrupted: AbortSignal): Promise<number> {
  const started = Date.now();
  while (!test()) {
    if (interrupted.aborted) throw new Error("interrupted; cleaning up");
    if (Date.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
  return Date.now() - started;
}

/** The values a client of the pair receives, with which side was active when each arrived. */
class CounterWatch {
  readonly values: { value: number; at: number; side: string }[] = [];

  constructor(
    private readonly io: CliIo,
    private readonly host: EngineHost,
  ) {}

  receive(value: number): void {
    const side = this.host.pair(PAIR)?.snapshot().active ?? "none";
    const last = this.values.at(-1);
    this.values.push({ value, at: Date.now(), side });
    // One line a second is enough to watch the stream; every value is kept for the gap figures.
    if (!last || Math.floor(last.at / 1000) !== Math.floor(Date.now() / 1000)) this.io.out(`  client  Counter = ${value}   (served by the ${side})`);
  }

  /** The first change of serving side in the stream after `at`: the last value before it, the first after it, and how many the client missed. */
  switchAfter(at: number): string {
    const i = this.values.findIndex((v, k) => k > 0 && v.at > at && v.side !== this.values[k - 1].side);
    if (i < 0) return "the stream shows no switch";
    const [before, after] = [this.values[i - 1], this.values[i]];
    const missed = Math.max(0, after.value - before.value - 1);
    return `last value ${before.value} from the ${before.side}, next ${after.value} from the ${after.side}: ${missed} value${missed === 1 ? "" : "s"} missed (${missed * 100} ms of data), ${after.at - before.at} ms between them`;
  }
}

export const demoVerb: Verb = {
  name: "demo",
  summary: "show a failover and a failback between two simulated OPC UA servers (15–30 s)",
  usage: [
    "usage: redundancymaster demo",
    "",
    "Starts two simulated OPC UA servers on free loopback ports, the engine between them with an",
    "embedded config (hot mode, failback on) and a client of the pair that prints the counter it",
    "receives. Then kills the primary (failover to the secondary, the data keeps flowing), restarts",
    "it (failback), prints the runtime events and cleans up. Touches nothing outside a temp folder.",
    "",
    "Exit status: 0 the failover and the failback happened, 1 they did not.",
  ].join("\n"),
  async run(args, io) {
    parseOptions(args, []);
    const [{ SimProcess }, { EngineHost }, { loadPairFactory }, { EnabledStore }, { consoleLine }, { subscribeToCounter }] = await Promise.all([
      import("../sim/simProcess.js"),
      import("../host/engineHost.js"),
      import("../host/pairFactory.js"),
      import("../state/enabledStore.js"),
      import("../events/eventLines.js"),
      import("./demoClient.js"),
    ]);
    (await import("../host/libraryLogs.js")).sendLibraryLogsToStderr();
    const dir = await mkdtemp(join(tmpdir(), "redundancymaster-demo-"));
    const ports = await distinctFreePorts();
    const sims: SimProcess[] = [];
    let host: EngineHost | undefined;
    let client: { close(): Promise<void> } | undefined;
    const events: RuntimeEvent[] = [];
    // Ctrl+C ends the demo early but still stops the servers and removes the temp folder.
    const interrupt = new AbortController();
    const onSignal = () => interrupt.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const pause = async (ms: number) => {
      await sleep(ms);
      if (interrupt.signal.aborted) throw new Error("interrupted; cleaning up");
    };
    try {
      io.out(`demo: starting two simulated OPC UA servers (primary :${ports.primary}, secondary :${ports.secondary})`);
      const [primary, secondary] = await Promise.all([SimProcess.start({ port: ports.primary, identity: "primary" }), SimProcess.start({ port: ports.secondary, identity: "secondary" })]);
      sims.push(primary, secondary);
      const configFile = join(dir, "redundancymaster.xml");
      await writeFile(configFile, demoConfig(ports));
      const stateDir = join(dir, "state");
      await new EnabledStore(join(stateDir, "enabled.json")).set(configFile, [PAIR], true);

      io.out(`demo: starting the engine: pair '${PAIR}' in hot mode with failback`);
      host = new EngineHost({ configFile, stateDir, factory: await loadPairFactory(), watchConfig: false });
      const engine = host;
      engine.onEvent((event) => {
        events.push(event);
        io.out(`  event   ${consoleLine(event)}`);
      });
      await engine.start();
      const active = () => engine.pair(PAIR)?.snapshot().active;
      const status = () => engine.pair(PAIR)?.snapshot().status;
      await until(() => active() === "primary" && status() === "Paired and Available", 20_000, "the pair becoming available", interrupt.signal);

      const switches: { side: string; at: number }[] = [];
      engine.pair(PAIR)!.on("activeChanged", (side) => switches.push({ side: side ?? "none", at: Date.now() }));
      const switchedTo = (side: string, after: number) => switches.find((s) => s.side === side && s.at >= after)?.at;
      const watch = new CounterWatch(io, engine);
      const endpoint = `opc.tcp://127.0.0.1:${ports.endpoint}`;
      io.out(`demo: a client connects to the pair's endpoint ${endpoint} and subscribes to the counter`);
      client = await subscribeToCounter(endpoint, join(dir, "pki"), (value) => watch.receive(value));
      await until(() => watch.values.length > 0, 10_000, "the first value at the client", interrupt.signal);
      await pause(2000);

      io.out("demo: killing the primary server (SIGKILL)");
      const killedAt = Date.now();
      await primary.kill();
      await until(() => switchedTo("secondary", killedAt) !== undefined, 15_000, "the failover to the secondary", interrupt.signal);
      await until(() => watch.values.some((v) => v.at > killedAt && v.side === "secondary"), 10_000, "data from the secondary", interrupt.signal);
      io.out(`demo: failover: the secondary is active ${switchedTo("secondary", killedAt)! - killedAt} ms after the kill; ${watch.switchAfter(killedAt)}`);
      await pause(2000);

      io.out("demo: restarting the primary server");
      await primary.restart();
      const restartedAt = Date.now();
      await until(() => switchedTo("primary", restartedAt) !== undefined, 20_000, "the failback to the primary", interrupt.signal);
      await until(() => watch.values.some((v) => v.at > restartedAt && v.side === "primary"), 10_000, "data from the primary again", interrupt.signal);
      io.out(`demo: failback: the primary is active again ${switchedTo("primary", restartedAt)! - restartedAt} ms after it came back; ${watch.switchAfter(restartedAt)}`);
      await pause(1500);

      const count = (id: string) => events.filter((e) => e.id === id).length;
      io.out(
        `demo: done: ${watch.values.length} values received; events: ${count("promoted.secondary")} × promoted.secondary, ${count("promoted.primary")} × promoted.primary, ${events.length} in all`,
      );
      return EXIT_OK;
    } catch (err) {
      io.err(`demo: ${(err as Error).message}`);
      return EXIT_FINDINGS;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await client?.close().catch(() => undefined);
      await host?.stop();
      await Promise.all(sims.map((s) => s.close()));
      await rm(dir, { recursive: true, force: true });
    }
  },
};
