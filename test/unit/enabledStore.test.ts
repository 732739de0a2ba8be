import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EnabledStore } from "../../engine/src/state/enabledStore";
import { defaultStateDir, eventLogFile, statePaths } from "../../engine/src/state/stateDir";

describe("machine-local enabled state", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "rm-enabled-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("a pair without a record is disabled (a copied config starts disabled)", async () => {
    const store = new EnabledStore(join(dir, "fresh", "enabled.json"));
    assert.deepEqual([...(await store.enabledPairs("/etc/plant/redundancymaster.xml"))], []);
  });

  it("records per config file and effective name", async () => {
    const store = new EnabledStore(join(dir, "state", "enabled.json"));
    await store.set("/plant/a.xml", ["Line4", "Line5"], true);
    await store.set("/plant/a.xml", ["Line5"], false);
    await store.set("/plant/b.xml", ["Line4"], true);
    assert.deepEqual([...(await store.enabledPairs("/plant/a.xml"))], ["Line4"]);
    assert.deepEqual([...(await store.enabledPairs("/plant/b.xml"))], ["Line4"]);
    assert.deepEqual([...(await store.enabledPairs("/plant/c.xml"))], [], "another config (or the same file copied elsewhere) has no record");
    const onDisk = JSON.parse(await readFile(join(dir, "state", "enabled.json"), "utf8"));
    assert.deepEqual(onDisk.configs["/plant/a.xml"], { Line4: true, Line5: false });
  });

  it("keys relative paths by their absolute path", async () => {
    const store = new EnabledStore(join(dir, "rel", "enabled.json"));
    await store.set("plant.xml", ["P"], true);
    assert.deepEqual([...(await store.enabledPairs(join(process.cwd(), "plant.xml")))], ["P"]);
  });

  it("refuses a damaged file rather than overwriting it", async () => {
    const file = join(dir, "damaged.json");
    await writeFile(file, "{ not json");
    const store = new EnabledStore(file);
    await assert.rejects(store.enabledPairs("/a.xml"), /not valid JSON.*fix or remove it/);
    await assert.rejects(store.set("/a.xml", ["P"], true), /not valid JSON/);
    assert.equal(await readFile(file, "utf8"), "{ not json", "the file is untouched");
  });
});

describe("state folder", () => {
  it("defaults to $XDG_STATE_HOME/redundancymaster, else ~/.local/state/redundancymaster", () => {
    assert.equal(defaultStateDir({ XDG_STATE_HOME: "/xdg/state" }), "/xdg/state/redundancymaster");
    assert.match(defaultStateDir({}), /\/\.local\/state\/redundancymaster$/);
    assert.match(defaultStateDir({ XDG_STATE_HOME: "relative" }), /\/\.local\/state\/redundancymaster$/, "a relative XDG path is ignored, as the spec says");
  });

  it("holds the enabled state, the PKI folder and an event log per config", () => {
    assert.deepEqual(statePaths("/var/lib/redundancymaster"), {
      dir: "/var/lib/redundancymaster",
      enabled: "/var/lib/redundancymaster/enabled.json",
      pki: "/var/lib/redundancymaster/pki",
    });
    const plant = eventLogFile("/var/lib/redundancymaster", "/etc/plant/redundancymaster.xml");
    assert.match(plant, /^\/var\/lib\/redundancymaster\/events\/redundancymaster-[0-9a-f]{8}\.json$/);
    assert.notEqual(eventLogFile("/var/lib/redundancymaster", "/etc/other/redundancymaster.xml"), plant, "another config, another log");
    assert.equal(eventLogFile("/var/lib/redundancymaster", "/etc/plant/./redundancymaster.xml"), plant);
  });
});
