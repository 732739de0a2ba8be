import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import type { ServerPairConfig } from "../../engine/src/config/model";
import type { PairSnapshot, RuntimeEvent } from "../../engine/src/control/protocol";
import { disabledSnapshot } from "../../engine/src/host/disabledSnapshot";
import { EngineHost } from "../../engine/src/host/engineHost";
import type { PairFactory } from "../../engine/src/host/pairFactory";
import type { PairHooks, PairRuntime } from "../../engine/src/pair/pairRuntime";
import { SessionTables } from "../../engine/src/namespaces/namespaceIdentity";
import { EnabledStore } from "../../engine/src/state/enabledStore";
import { NamespaceStore } from "../../engine/src/state/namespaceStore";

// The host's own logic (which pairs run, what a reload restarts, what is refused) without a network:
// a pair here only records its life and posts what a real one posts on start. The real pairs
// against real servers are in test/integration/run*.test.ts and control.test.ts.
class RecordingPair extends EventEmitter implements PairRuntime {
  static lives: string[] = [];
  readonly data = { add: () => ({ remove() {} }) };
  readonly events = { add: () => ({ remove() {}, refresh: () => Promise.reject(new Error("no upstream here")) }) };
  readonly namespaceStore = new NamespaceStore();
  readonly sessionTables = new SessionTables();
  running = false;
  constructor(
    readonly config: ServerPairConfig,
    private readonly hooks: PairHooks,
  ) {
    super();
  }
  async start() {
    this.running = true;
    RecordingPair.lives.push(`start ${this.config.effectiveName}`);
    this.hooks.postEvent({ kind: "connected", side: "primary", fields: {} });
    this.hooks.onChanged();
  }
  async stop() {
    this.running = false;
    RecordingPair.lives.push(`stop ${this.config.effectiveName}`);
  }
  snapshot(): PairSnapshot {
    return { ...disabledSnapshot(this.config), enabled: true, status: "Paired and Available", active: "primary" };
  }
  async forceFailover() {}
  /** What a real pair does when something that shows in no snapshot field changed. */
  changedAgain() {
    this.hooks.onChanged();
  }
  activeSession() {
    return undefined;
  }
  async activeSessionAs() {
    return undefined;
  }
}

const factory: PairFactory = { createPair: (config, hooks) => new RecordingPair(config, hooks) };

const pair = (name: string, port: number, mode = "hot") => `
  <server name="${name}" port="${port}">
    <primary host="pa" url="opc.tcp://127.0.0.1:${port + 10}"/>
    <secondary host="pb" url="opc.tcp://127.0.0.1:${port + 20}"/>
    <connection mode="${mode}"/>
  </server>`;
const config = (body: string, diagnostics = `<diagnostics preserveOnShutdown="true"/>`) => `<redundancyMaster version="1">${body}${diagnostics}</redundancyMaster>`;

describe("engine host", () => {
  let dir: string;
  let n = 0;
  let host: EngineHost | undefined;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "rm-host-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await host?.stop();
    host = undefined;
    RecordingPair.lives = [];
  });

  /** A config file, its state folder and a started host with the given pairs enabled. */
  async function startHost(text: string, enabled: string[], watch = false, withFactory: PairFactory = factory) {
    const folder = join(dir, `case${++n}`);
    const file = join(folder, "redundancymaster.xml");
    await mkdir(folder);
    await writeFile(file, text);
    const stateDir = join(folder, "state");
    if (enabled.length) await new EnabledStore(join(stateDir, "enabled.json")).set(file, enabled, true);
    const events: RuntimeEvent[] = [];
    const changed: PairSnapshot[] = [];
    host = new EngineHost({ configFile: file, stateDir, factory: withFactory, watchConfig: watch, reloadDebounceMs: 50, persistDebounceMs: 20 });
    host.onEvent((e) => events.push(e));
    host.onPairChanged((p) => changed.push(p));
    await host.start();
    return { file, stateDir, events, changed, host };
  }

  it("starts the enabled pairs only; a pair without a record is disabled and says how to enable it", async () => {
    const { events, host: h, file } = await startHost(config(pair("A", 22901) + pair("B", 22902)), ["A"]);
    assert.deepEqual(RecordingPair.lives, ["start A"]);
    assert.deepEqual(
      h.snapshot().pairs.map((p) => [p.name, p.status, p.enabled]),
      [
        ["A", "Paired and Available", true],
        ["B", "Disabled", false],
      ],
    );
    const notice = events.find((e) => e.id === "pairNotEnabled");
    assert.equal(notice?.pair, "B");
    assert.ok(notice?.text.includes(`redundancymaster enable ${file} B`), notice?.text);
  });

  it("tells a pair's change once per different snapshot", async () => {
    const { changed, host: h } = await startHost(config(pair("A", 22901)), ["A"]);
    const running = h.pair("A") as RecordingPair;
    running.changedAgain();
    running.changedAgain();
    assert.equal(changed.filter((p) => p.name === "A").length, 1, "the same snapshot is not sent again");
    await h.setEnabled("A", false);
    assert.deepEqual(
      changed.map((p) => p.status),
      ["Paired and Available", "Disabled"],
    );
  });

  it("quotes a path or name with blanks in the enable command it suggests, which names a state folder not the default", async () => {
    const { events, stateDir } = await startHost(config(pair("A", 22901).replace('name="A"', 'name="A" alias="North line"')), []);
    const text = events.find((e) => e.id === "pairNotEnabled")!.text;
    assert.ok(text.endsWith(` "North line" --state-dir ${stateDir}'.`), text);
    assert.match(text, /Enable it with 'redundancymaster enable \/\S+\.xml "North line" --state-dir /);
  });

  it("formats pair events from the catalog with the pair, side and the engine's process", async () => {
    const { events } = await startHost(config(pair("A", 22901)), ["A"]);
    const connected = events.find((e) => e.id === "connected.primary")!;
    assert.equal(connected.text, "Connected to 'A' on primary machine 'pa'.");
    assert.deepEqual([connected.pair, connected.side, connected.severity, connected.process], ["A", "primary", "information", `redundancymaster[${process.pid}]`]);
  });

  it("enable and disable start and stop that pair only, recorded on this machine", async () => {
    const { host: h, events, stateDir, file } = await startHost(config(pair("A", 22901) + pair("B", 22902)), ["A"]);
    const b = await h.setEnabled("B", true);
    assert.equal(b.enabled, true);
    await h.setEnabled("A", false);
    assert.deepEqual(RecordingPair.lives, ["start A", "start B", "stop A"]);
    assert.deepEqual(
      events.filter((e) => /^pair(En|Dis)abled$/.test(e.id)).map((e) => `${e.id} ${e.pair}`),
      ["pairEnabled B", "pairDisabled A"],
    );
    assert.deepEqual([...(await new EnabledStore(join(stateDir, "enabled.json")).enabledPairs(file))], ["B"]);
    await assert.rejects(h.setEnabled("C", true), /no pair named 'C'.*pairs: A, B/);
  });

  it("reload restarts only the changed pair, adds and removes, and says what changed", async () => {
    const { host: h, events, file } = await startHost(config(pair("A", 22901) + pair("B", 22902) + pair("C", 22903)), ["A", "B", "C", "D"]);
    RecordingPair.lives = [];
    await writeFile(file, config(pair("A", 22901) + pair("B", 22902, "warm") + pair("D", 22904)));
    const result = await h.reload();
    assert.deepEqual(result, { applied: true, detail: "added 'D'; restarted 'B'; removed 'C'" });
    assert.deepEqual(RecordingPair.lives.sort(), ["start B", "start D", "stop B", "stop C"]);
    assert.deepEqual(
      h.snapshot().pairs.map((p) => p.name),
      ["A", "B", "D"],
    );
    assert.equal(events.at(-1)!.id, "configReloaded");
    assert.match(events.at(-1)!.text, /restarted 'B'/);
  });

  it("an invalid file is refused with its first diagnostics and the pairs keep running", async () => {
    const { host: h, events, file } = await startHost(config(pair("A", 22901)), ["A"]);
    await writeFile(file, config(pair("A", 22901).replace('mode="hot"', 'mode="lukewarm"')));
    const result = await h.reload();
    assert.equal(result.applied, false);
    const rejected = events.find((e) => e.id === "configRejected")!;
    assert.equal(rejected.severity, "error");
    assert.match(rejected.text, /not applied: 1 error \(line \d+:\d+ RM003 .*lukewarm.*\); the running pairs keep their previous settings/);
    assert.deepEqual(RecordingPair.lives, ["start A"]);
    assert.equal(h.snapshot().pairs[0].status, "Paired and Available");
  });

  it("watches the config: a save by rename is applied without a call", async () => {
    const { events, file } = await startHost(config(pair("A", 22901) + pair("B", 22902)), ["A", "B"], true);
    await writeFile(`${file}.new`, config(pair("A", 22901) + pair("B", 22902, "cold")));
    await rename(`${file}.new`, file);
    for (let i = 0; i < 100 && !events.some((e) => e.id === "configReloaded"); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(events.find((e) => e.id === "configReloaded")?.text ?? "no reload", /restarted 'B'/);
    assert.deepEqual(RecordingPair.lives.sort(), ["start A", "start B", "start B", "stop B"]);
  });

  it("picks up the enable verb's change of the state file", async () => {
    const { events, file, stateDir } = await startHost(config(pair("A", 22901)), [], true);
    await new EnabledStore(join(stateDir, "enabled.json")).set(file, ["A"], true);
    for (let i = 0; i < 100 && !RecordingPair.lives.includes("start A"); i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(RecordingPair.lives, ["start A"]);
    assert.ok(events.some((e) => e.id === "pairEnabled"));
  });

  it("a pair or endpoint that fails to start is reported, shown as not available, and the others run", async () => {
    const failing: PairFactory = {
      createPair: (config, hooks) => {
        const pair = new RecordingPair(config, hooks);
        if (config.effectiveName === "A")
          pair.start = async () => {
            throw new Error("no free sockets");
          };
        return pair;
      },
      startEndpoint: async (pair, options) => {
        if (pair.config.effectiveName === "B") throw new Error(`listen EADDRINUSE: address already in use 0.0.0.0:${options.port}`);
        return { url: `opc.tcp://127.0.0.1:${options.port}`, stop: async () => {} };
      },
    };
    const { host: h, events } = await startHost(config(pair("A", 22901) + pair("B", 22902) + pair("C", 22903)), ["A", "B", "C"], false, failing);
    for (let i = 0; i < 100 && events.filter((e) => /^(pairStartFailed|endpointNotServing)$/.test(e.id)).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    const failures = events
      .filter((e) => /^(pairStartFailed|endpointNotServing)$/.test(e.id))
      .map((e) => `${e.pair}: ${e.text}`)
      .sort();
    assert.deepEqual(failures, [
      "A: Pair 'A' could not be started: no free sockets.",
      "B: The endpoint of 'B' is not serving its clients on port 22902: listen EADDRINUSE: address already in use 0.0.0.0:22902. It is tried again until it starts.",
    ]);
    assert.deepEqual(
      h.snapshot().pairs.map((p) => [p.name, p.status, p.enabled, p.notServing]),
      [
        ["A", "Pair not available", true, undefined],
        ["B", "Paired and Available", true, "listen EADDRINUSE: address already in use 0.0.0.0:22902; trying again in 1 s"],
        ["C", "Paired and Available", true, undefined],
      ],
    );
  });

  it("preserves the log across a restart, seq continuing; save-as and reset work", async () => {
    const { host: h, file, stateDir, events } = await startHost(config(pair("A", 22901)), ["A"]);
    const lastSeq = events.at(-1)!.seq;
    await h.stop();
    const again = new EngineHost({ configFile: file, stateDir, factory, watchConfig: false });
    host = again;
    const later: RuntimeEvent[] = [];
    again.onEvent((e) => later.push(e));
    await again.start();
    assert.equal(later[0].seq, lastSeq + 1);
    assert.deepEqual(
      again
        .listEvents()
        .slice(0, events.length)
        .map((e) => e.seq),
      events.map((e) => e.seq),
    );
    const saved = join(stateDir, "saved.log");
    assert.equal(await again.saveEvents(saved), again.listEvents().length);
    assert.equal((await readFile(saved, "utf8")).trim().split("\n").length, again.listEvents().length);
    again.resetEvents();
    assert.deepEqual(again.listEvents(), []);
  });
});
