import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { OPCUAClient, type ClientSession } from "node-opcua";
import type { ConnectionMode } from "../../../engine/src/config/model";
import { EnabledStore } from "../../../engine/src/state/enabledStore";
import { SIM_NAMESPACE } from "../../../engine/src/sim/simServer";
import { EngineRun } from "../../support/engineRun";

export interface BenchPair {
  name: string;
  endpointPort: number;
  primaryUrl: string;
  secondaryUrl: string;
}

export interface BenchEngineOptions {
  mode: ConnectionMode;
  statusIntervalMs: number;
  statusTimeoutMs: number;
  /** Serve the control channel on the engine's IPC channel (EngineRun.control): an operator's forced failovers. */
  control?: boolean;
}

/**
 * The engine as users run it (`node dist/engine.js run FILE`), in a process of its own so that
 * its work does not share an event loop with the measuring clients, with every pair enabled.
 * No monitor items: failures are found by the status poll and the sockets alone.
 */
export async function startBenchEngine(dir: string, pairs: BenchPair[], o: BenchEngineOptions): Promise<EngineRun> {
  const file = join(dir, `bench-${o.mode}.xml`);
  const stateDir = join(dir, "state");
  const servers = pairs.map(
    (p) => `  <server name="${p.name}" port="${p.endpointPort}">
    <primary host="127.0.0.1" url="${p.primaryUrl}"/>
    <secondary host="127.0.0.1" url="${p.secondaryUrl}"/>
    <connection mode="${o.mode}" alwaysReconnectToPrimary="false" statusIntervalMs="${o.statusIntervalMs}" statusTimeoutMs="${o.statusTimeoutMs}"/>
  </server>`,
  );
  await writeFile(
    file,
    `<?xml version="1.0" encoding="UTF-8"?>\n<redundancyMaster version="1">\n${servers.join("\n")}\n  <diagnostics maxEvents="30000" preserveOnShutdown="false"/>\n</redundancyMaster>\n`,
  );
  await new EnabledStore(join(stateDir, "enabled.json")).set(
    file,
    pairs.map((p) => p.name),
    true,
  );
  return new EngineRun([file, "--state-dir", stateDir], undefined, o.control);
}

/** SIGTERM, as a service manager stops it; SIGKILL if it has not exited within 10 s. */
export async function stopBenchEngine(engine: EngineRun): Promise<void> {
  engine.signal("SIGTERM");
  await Promise.race([engine.exited, new Promise((done) => setTimeout(done, 10_000))]);
  await engine.close();
}

/** A plain client session (no retries of its own) with the sims' namespace index on that server. */
export async function plainSession(url: string, clients: OPCUAClient[]): Promise<{ client: OPCUAClient; session: ClientSession; ns: number }> {
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, requestedSessionTimeout: 120_000, keepSessionAlive: true });
  clients.push(client);
  await client.connect(url);
  const session = await client.createSession();
  return { client, session, ns: (await session.readNamespaceArray()).indexOf(SIM_NAMESPACE) };
}

/** A session on the pair's endpoint once it serves the sims' namespace (its mirror is made), retrying while it starts. */
export async function endpointSession(url: string, clients: OPCUAClient[], timeoutMs = 120_000): Promise<{ session: ClientSession; ns: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const target = await plainSession(url, clients);
      if (target.ns > 0) return target;
      await target.session.close();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the endpoint ${url} did not serve the sims' namespace within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
