import assert from "node:assert/strict";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import type { RuntimeEvent } from "../../engine/src/control/protocol";
import { EngineHost } from "../../engine/src/host/engineHost";
import { endpointRetryMs } from "../../engine/src/host/endpointService";
import type { PairFactory } from "../../engine/src/host/pairFactory";
import { EnabledStore } from "../../engine/src/state/enabledStore";
import { reservePort } from "../support/portReservation";
import { OfflinePair } from "../support/offlinePair";

// The host keeps a pair's endpoint serving: a taken port is retried, a reload never leaves a pair
// without one. The pair here does nothing; its "endpoint" is a real TCP listener on the pair's
// port, so a port another program holds is refused as it would be (the real endpoint and engine:
// test/integration/run.test.ts).
class QuietPair extends OfflinePair {
  static lives: string[] = [];
  async start() {
    QuietPair.lives.push(`start ${this.config.effectiveName}:${this.config.port}`);
    this.hooks.onChanged();
  }
  async stop() {
    QuietPair.lives.push(`stop ${this.config.effectiveName}:${this.config.port}`);
  }
}

const listen = (port: number) =>
  new Promise<Server>((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => done(server));
  });
const close = (server: Server) => new Promise<void>((done) => server.close(() => done()));
const factory: PairFactory = {
  createPair: (config, hooks) => new QuietPair(config, hooks),
  startEndpoint: async (_pair, options) => {
    const server = await listen(options.port);
    return { url: `opc.tcp://127.0.0.1:${options.port}`, stop: () => close(server) };
  },
};
const PORTS = [22690, 22691, 22692, 22693];
const pair = (name: string, port: number) => `
  <server name="${name}" port="${port}">
    <primary host="pa" url="opc.tcp://127.0.0.1:4840"/>
    <secondary host="pb" url="opc.tcp://127.0.0.1:4841"/>
  </server>`;
const config = (body: string) => `<redundancyMaster version="1">${body}</redundancyMaster>`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("engine host: a pair is never left without its endpoint", () => {
  let dir: string;
  let n = 0;
  let host: EngineHost | undefined;
  let holder: Server | undefined;
  before(async () => {
    for (const port of PORTS) assert.ok(reservePort(port), `port ${port} is free of other test processes`);
    dir = await mkdtemp(join(tmpdir(), "rm-endpoints-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await host?.stop();
    if (holder?.listening) await close(holder);
    host = undefined;
    QuietPair.lives = [];
  });

  async function startHost(text: string) {
    const folder = join(dir, `case${++n}`);
    const file = join(folder, "redundancymaster.xml");
    await mkdir(folder);
    await writeFile(file, text);
    const stateDir = join(folder, "state");
    await new EnabledStore(join(stateDir, "enabled.json")).set(file, ["A", "B"], true);
    const events: RuntimeEvent[] = [];
    host = new EngineHost({ configFile: file, stateDir, factory, watchConfig: false });
    host.onEvent((e) => events.push(e));
    await host.start();
    const save = async (next: string) => {
      await writeFile(`${file}.saving`, next);
      await rename(`${file}.saving`, file);
    };
    return { events, host, save };
  }

  const until = async (what: string, check: () => boolean, timeoutMs = 10_000) => {
    for (const deadline = Date.now() + timeoutMs; !check(); await sleep(20)) if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  };

  it("an endpoint whose port is taken says so, is tried again, and serves once the port is free", async () => {
    holder = await listen(PORTS[0]);
    const { events, host: h } = await startHost(config(pair("A", PORTS[0]) + pair("B", PORTS[1])));
    await until("endpointNotServing", () => events.some((e) => e.id === "endpointNotServing"));
    const notServing = () => h.snapshot().pairs.find((p) => p.name === "A")!.notServing;
    assert.match(notServing()!, /EADDRINUSE.*; trying again in \d+ s$/);
    assert.equal(h.snapshot().pairs.find((p) => p.name === "B")!.notServing, undefined, "B serves");
    await sleep(2500);
    assert.equal(events.filter((e) => e.id === "endpointNotServing").length, 1, "said once, not at every retry");
    await close(holder);
    await until("endpointListening of A", () => events.some((e) => e.id === "endpointListening" && e.pair === "A"), 20_000);
    assert.equal(events.find((e) => e.id === "endpointListening" && e.pair === "A")!.text, `Pair 'A' serves its OPC UA clients at opc.tcp://127.0.0.1:${PORTS[0]}.`);
    assert.equal(notServing(), undefined);
  });

  it("a reload that moves a pair to a taken port keeps it serving on the old one, and moves it once the new one is free", async () => {
    const { events, host: h, save } = await startHost(config(pair("A", PORTS[0]) + pair("B", PORTS[1])));
    await until("both serving", () => h.snapshot().pairs.every((p) => p.notServing === undefined));
    holder = await listen(PORTS[2]);
    QuietPair.lives = [];
    await save(config(pair("A", PORTS[2]) + pair("B", PORTS[1])));
    const result = await h.reload();
    assert.deepEqual(result, { applied: true, detail: "waiting for a free port: 'A'" });
    assert.equal(
      events.find((e) => e.id === "endpointPortKept")?.text,
      `Pair 'A' keeps serving on port ${PORTS[0]}: its new port ${PORTS[2]} is in use. The changed settings are applied once the port is free.`,
    );
    assert.deepEqual(QuietPair.lives, [], "A was not stopped");
    assert.deepEqual(
      h.snapshot().pairs.map((p) => [p.name, p.port, p.notServing]),
      [
        ["A", PORTS[0], undefined],
        ["B", PORTS[1], undefined],
      ],
    );
    await close(holder);
    await until("A moved", () => QuietPair.lives.includes(`start A:${PORTS[2]}`), 15_000);
    assert.deepEqual(QuietPair.lives, [`stop A:${PORTS[0]}`, `start A:${PORTS[2]}`]);
    await until("A serving on its new port", () => h.snapshot().pairs[0].port === PORTS[2] && h.snapshot().pairs[0].notServing === undefined);
  });

  it("a reload that only changes a pair's other settings restarts it on its port", async () => {
    const { host: h, save } = await startHost(config(pair("A", PORTS[3]) + pair("B", PORTS[1])));
    await until("both serving", () => h.snapshot().pairs.every((p) => p.notServing === undefined));
    QuietPair.lives = [];
    await save(config(pair("A", PORTS[3]).replace("</server>", '<connection mode="hot"/></server>') + pair("B", PORTS[1])));
    assert.deepEqual(await h.reload(), { applied: true, detail: "restarted 'A'" });
    assert.deepEqual(QuietPair.lives, [`stop A:${PORTS[3]}`, `start A:${PORTS[3]}`]);
    await until("A serving", () => h.snapshot().pairs[0].notServing === undefined);
  });
});

describe("endpoint retries", () => {
  it("after 1 s, doubling up to 30 s", () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 9].map(endpointRetryMs), [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });
});
