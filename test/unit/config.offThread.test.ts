import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { after, before, describe, it } from "node:test";
import { ConfigError, loadConfigFile } from "../../engine/src/config/loadConfig";
import { loadConfigOffThread } from "../../engine/src/config/loadConfigOffThread";

// A forced garbage collection, for this file only (as --expose-gc would give it).
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const pair = `<server name="A" port="22950"><primary host="a" url="opc.tcp://127.0.0.1:22951"/><secondary host="b" url="opc.tcp://127.0.0.1:22952"/></server>`;
const hostile = (elements: number) => `<redundancyMaster version="1">${pair}${Array.from({ length: elements }, (_, i) => `<unknown${i % 10} a="x"/>`).join("\n")}</redundancyMaster>`;

describe("a reloaded config is checked in a worker thread", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "rm-offthread-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("a valid file loads as on the engine's thread", async () => {
    const file = join(dir, "valid.xml");
    await writeFile(file, `<redundancyMaster version="1">${pair}</redundancyMaster>`);
    assert.deepEqual(await loadConfigOffThread(file), await loadConfigFile(file));
  });

  it("a hostile file of 50,000 unknown elements is refused with its count and first errors, the engine's thread keeps its pace and its heap", async () => {
    const file = join(dir, "hostile.xml");
    await writeFile(file, hostile(50_000));
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let longestGapMs = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
    }, 10);
    const error = await loadConfigOffThread(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    clearInterval(ticker);
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.errorCount, 50_000);
    assert.equal(error.diagnostics.length, 3, "only the errors the event names came back");
    assert.match(error.diagnostics[0].message, /unknown0/);
    // On the engine's thread this check took 1.4 s for 30,000 elements (2 loaded cores).
    assert.ok(longestGapMs < 300, `the thread was held up ${longestGapMs.toFixed(0)} ms at most`);
    gc();
    const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    assert.ok(grownMb < 2, `the heap kept ${grownMb.toFixed(1)} MB of the check`);
  });
});
