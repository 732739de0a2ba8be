import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import type { RuntimeEvent } from "../../engine/src/control/protocol";
import { EngineHost } from "../../engine/src/host/engineHost";
import { faultText, restartDelayMs } from "../../engine/src/host/pairFaults";
import type { PairFactory } from "../../engine/src/host/pairFactory";
import { EnabledStore } from "../../engine/src/state/enabledStore";
import { eventLogFile } from "../../engine/src/state/stateDir";
import { OfflinePair } from "../support/offlinePair";

// The host's handling of an unexpected error, without a network: a pair here records its life and,
// when told, raises an error from a timer it set, as a bug in its asynchronous work would. The
// error reaches the host as the `run` verb's process handlers pass it: reportFault, in the context
// of the work that raised it. The real thing (node-opcua's own uncaught error, real processes) is
// test/integration/reliability.pairFault.test.ts.
class FaultyPair extends OfflinePair {
  static lives: string[] = [];
  static host: EngineHost | undefined;
  async start() {
    FaultyPair.lives.push(`start ${this.config.effectiveName}`);
    this.hooks.postEvent({ kind: "connected", side: "primary", fields: {} });
  }
  async stop() {
    FaultyPair.lives.push(`stop ${this.config.effectiveName}`);
  }
  /** A timer the pair's own work set, whose callback throws. */
  override async forceFailover() {
    setTimeout(() => {
      try {
        throw new TypeError("Cannot read properties of undefined (reading 'session')");
      } catch (error) {
        FaultyPair.host!.reportFault(error);
      }
    }, 10);
  }
}

const factory: PairFactory = { createPair: (config, hooks) => new FaultyPair(config, hooks) };
const pair = (name: string, port: number) => `
  <server name="${name}" port="${port}">
    <primary host="pa" url="opc.tcp://127.0.0.1:${port + 10}"/>
    <secondary host="pb" url="opc.tcp://127.0.0.1:${port + 20}"/>
  </server>`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("engine host: a pair is the unit of failure", () => {
  let dir: string;
  let host: EngineHost | undefined;
  let events: RuntimeEvent[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "rm-faults-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await host?.stop();
    host = undefined;
    FaultyPair.lives = [];
    events = [];
  });

  async function startHost(name: string) {
    const folder = join(dir, name);
    const file = join(folder, "redundancymaster.xml");
    await mkdir(folder);
    await writeFile(file, `<redundancyMaster version="1">${pair("A", 22901)}${pair("B", 22902)}<diagnostics preserveOnShutdown="true"/></redundancyMaster>`);
    const stateDir = join(folder, "state");
    await new EnabledStore(join(stateDir, "enabled.json")).set(file, ["A", "B"], true);
    host = new EngineHost({ configFile: file, stateDir, factory, watchConfig: false, persistDebounceMs: 60_000 });
    FaultyPair.host = host;
    host.onEvent((e) => events.push(e));
    await host.start();
    return { file, stateDir, host };
  }

  it("an error raised by one pair's work restarts that pair alone after 1 s, posts pairFault and writes the log at once", async () => {
    const { host: h, file, stateDir } = await startHost("restart");
    FaultyPair.lives = [];
    await h.forceFailover("A", "the test");
    await sleep(200);
    const fault = events.find((e) => e.id === "pairFault");
    assert.equal(fault?.pair, "A");
    assert.equal(fault?.severity, "error");
    assert.match(
      fault!.text,
      /^Pair 'A' failed unexpectedly and is restarted in 1 s; the other pairs carry on \(Error = TypeError: Cannot read properties of undefined \(reading 'session'\) \(at .*host\.faults\.test\.ts:\d+:\d+\)\)\)\.$/,
    );
    assert.deepEqual(FaultyPair.lives, ["stop A"], "A stopped, B untouched");
    assert.equal(h.snapshot().pairs.find((p) => p.name === "A")?.status, "Pair not available", "not running until its restart");
    // "At once" against the minute the log's writes gather for here: the write itself may take a while on a loaded machine.
    const savedAt = Date.now();
    const logged = async () => {
      const text = await readFile(eventLogFile(stateDir, file), "utf8").catch(() => "");
      return text !== "" && (JSON.parse(text) as { events: RuntimeEvent[] }).events.some((e) => e.id === "pairFault");
    };
    while (!(await logged()) && Date.now() - savedAt < 10_000) await sleep(50);
    assert.ok(await logged(), "flushed at once, though the log's writes gather for a minute here");
    await sleep(1100);
    assert.deepEqual(FaultyPair.lives, ["stop A", "start A"]);
  });

  it("a pair that fails again soon after its restart waits twice as long", async () => {
    const { host: h } = await startHost("backoff");
    await h.forceFailover("A", "the test");
    await sleep(1400);
    await h.forceFailover("A", "the test");
    await sleep(200);
    assert.deepEqual(
      events.filter((e) => e.id === "pairFault").map((e) => /restarted in (\d+) s/.exec(e.text)![1]),
      ["1", "2"],
    );
  });

  it("an error that belongs to no pair is posted as engineFault and restarts nothing", async () => {
    const { host: h } = await startHost("engine");
    FaultyPair.lives = [];
    h.reportFault(new RangeError("out of range"));
    const fault = events.find((e) => e.id === "engineFault");
    assert.match(fault!.text, /^Unexpected error outside any pair; the engine carries on \(Error = RangeError: out of range \(at .*\)\)\.$/);
    assert.equal(fault?.pair, undefined);
    await sleep(1200);
    assert.deepEqual(FaultyPair.lives, []);
  });
});

describe("pair faults: policy", () => {
  it("restarts after 1 s, doubling up to a minute", () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 12].map(restartDelayMs), [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
  });

  it("tells an error by its message and the frame that threw it, never the whole stack", () => {
    const text = faultText(new Error("expecting a valid session"));
    assert.match(text, /^expecting a valid session \(at .*host\.faults\.test\.ts:\d+:\d+\)\)$/);
    assert.ok(!text.includes("\n"));
    assert.equal(faultText("a string"), "a string");
  });
});
