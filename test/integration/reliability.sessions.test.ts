import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AttributeIds, OPCUAClient } from "node-opcua";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { EnabledStore } from "../../engine/src/state/enabledStore";
import { endpointSession } from "../bench/support/benchEngine";
import { subscribeLoad } from "../bench/support/loadSubscription";
import { producedByBoth, watchCounter } from "../support/counterWatch";
import { vanishingClients } from "../support/clientCrowd";
import { ensureEngineBuilt } from "../support/engineCli";
import { EngineRun } from "../support/engineRun";
import { reservePort } from "../support/portReservation";
import { startSims } from "../support/startSims";

// Ports 23720–23722 belong to this file.
const [SIM_A, SIM_B, ENDPOINT] = [23720, 23721, 23722];
const URL = `opc.tcp://127.0.0.1:${ENDPOINT}`;
const CAP_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("reliability: an endpoint sized for a plant", () => {
  let dir: string;
  let sims: SimProcess[] = [];
  let engine: EngineRun | undefined;
  let crowd: ChildProcess | undefined;
  const clients: OPCUAClient[] = [];

  before(async () => {
    await ensureEngineBuilt();
    for (const port of [SIM_A, SIM_B, ENDPOINT]) assert.ok(reservePort(port), `port ${port} is free of other test processes`);
    dir = await mkdtemp(join(tmpdir(), "rm-sessions-"));
  });

  after(async () => {
    crowd?.kill("SIGKILL");
    await Promise.all(clients.map((c) => c.disconnect().catch(() => undefined)));
    await engine?.close();
    await Promise.all(sims.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it("100 clients are served, one beyond the limit is turned away with an event; once they vanish a new client is served within the session timeout cap, their subscriptions are freed, and a client connected throughout loses nothing", async () => {
    const file = join(dir, "redundancymaster.xml");
    const stateDir = join(dir, "state");
    await writeFile(
      file,
      `<?xml version="1.0" encoding="UTF-8"?>
<redundancyMaster version="1">
  <server name="Plant" port="${ENDPOINT}" maxConnections="150" maxSessionTimeoutMs="${CAP_MS}">
    <primary host="a" url="opc.tcp://127.0.0.1:${SIM_A}"/>
    <secondary host="b" url="opc.tcp://127.0.0.1:${SIM_B}"/>
    <connection mode="hot" statusIntervalMs="2000" statusTimeoutMs="1500"/>
  </server>
</redundancyMaster>
`,
    );
    await new EnabledStore(join(stateDir, "enabled.json")).set(file, ["Plant"], true);
    sims = await startSims([
      { port: SIM_A, identity: "sim-a" },
      { port: SIM_B, identity: "sim-b" },
    ]);
    const produced = await Promise.all(sims.map((s) => watchCounter(s.url, clients)));
    engine = new EngineRun([file, "--state-dir", stateDir]);
    const { session: observer, ns } = await endpointSession(URL, clients);
    const throughout = new Map<number, number>();
    await subscribeLoad(observer, ns, 0, { counter: (s) => throughout.set(s.value, s.at) });
    const sessionCount = async () => Number((await observer.read({ nodeId: "i=2277", attributeId: AttributeIds.Value })).value.value);
    const from = Date.now();

    // With the client connected throughout, 101 clients for an endpoint that serves 100 (maxSessions' default).
    const storm = vanishingClients(URL, 100);
    crowd = storm.child;
    const result = await storm.result;
    assert.deepEqual(result.timeouts, [CAP_MS], "each granted the cap for the hour it asked");
    assert.equal(await sessionCount(), 100, `the endpoint serves 100 sessions (${JSON.stringify(result)})`);
    // The one turned away is refused, or its session (not yet activated) is closed to make room for another's, as OPC UA says a full server does.
    await engine.waitFor("Plant", /^The endpoint of 'Plant' refused (a client|\d+ clients), as it serves 100 sessions, its maxSessions\.$/);

    crowd.kill("SIGKILL");
    const vanished = Date.now();
    const late = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
    clients.push(late);
    await late.connect(URL);
    const refusals: string[] = [];
    let served: number | undefined;
    while (served === undefined && Date.now() - vanished < 60_000) {
      try {
        const session = await late.createSession();
        served = Date.now() - vanished;
        // The server's own count of subscriptions: the throughout client's one, once the vanished ones' are freed.
        let subscriptions = NaN;
        for (const deadline = Date.now() + 5000; Date.now() < deadline; await sleep(250)) {
          subscriptions = Number((await observer.read({ nodeId: "i=2285", attributeId: AttributeIds.Value })).value.value);
          if (subscriptions <= 1) break;
        }
        assert.equal(subscriptions, 1, "the vanished clients' subscriptions were freed with their sessions");
        await session.close();
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        refusals.push((error as Error).message.match(/Bad\w+/)?.[0] ?? (error as Error).message);
        await sleep(500);
      }
    }
    assert.ok(refusals.length > 0 && refusals.every((r) => r === "BadTooManySessions"), `refused while the vanished clients' sessions lived (${refusals.join(", ")})`);
    assert.ok(served !== undefined && served <= CAP_MS + 5000, `served ${served} ms after the others vanished (cap ${CAP_MS} ms; node-opcua checks sessions every few seconds)`);

    await sleep(2000);
    const to = Date.now() - 1000;
    const expected = producedByBoth(produced, from, to);
    assert.ok(expected.length >= 50, `the sims produced a Counter to compare with (${expected.length} values both had)`);
    const lost = expected.filter((v) => !throughout.has(v));
    const at = (v: number) => `${produced[0].get(v)! - vanished} ms`;
    assert.deepEqual(
      lost,
      [],
      `the client connected throughout got every value of ${expected.length}; lost (after the crowd vanished): ${lost.map(at).join(", ")}; the crowd came ${from - vanished} ms`,
    );
  });
});
