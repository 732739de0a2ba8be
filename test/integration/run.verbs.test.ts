import assert from "node:assert/strict";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { engineCopyIn, ensureEngineBuilt, removeEngineCopy, REPO_ROOT, runEngineCli } from "../support/engineCli";

describe("enable, disable and service verbs", () => {
  let dir: string;
  let config: string;
  let stateDir: string;
  before(async () => {
    await ensureEngineBuilt();
    dir = await mkdtemp(join(tmpdir(), "rm-verbs-"));
    config = join(dir, "plant.xml");
    stateDir = join(dir, "state");
    await copyFile(join(REPO_ROOT, "test/fixtures/valid/shared-name-aliases.xml"), config);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const enabledRecords = async () => JSON.parse(await readFile(join(stateDir, "enabled.json"), "utf8")).configs[config];

  it("enable and disable record pairs by effective name in the state folder", async () => {
    const on = await runEngineCli(["enable", config, "--all", "--state-dir", stateDir]);
    assert.equal(on.code, 0, on.stderr);
    assert.match(on.stdout, /enabled 'Kep\.North'/);
    assert.deepEqual(await enabledRecords(), { "Kep.North": true, "Kep.South": true });
    const off = await runEngineCli(["disable", config, "Kep.South", "--state-dir", stateDir]);
    assert.equal(off.code, 0, off.stderr);
    assert.deepEqual(await enabledRecords(), { "Kep.North": true, "Kep.South": false });
  });

  it("an unknown pair is refused with the names there are, and nothing is written", async () => {
    const r = await runEngineCli(["enable", config, "Kep.West", "--state-dir", stateDir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no pair named 'Kep\.West' \(pairs: 'Kep\.North', 'Kep\.South'\)/);
    assert.deepEqual(await enabledRecords(), { "Kep.North": true, "Kep.South": false });
  });

  it("a config with errors is reported like validate, exit 1", async () => {
    const broken = join(dir, "broken.xml");
    await writeFile(broken, '<redundancyMaster version="1"><server name="A" port="70000"/></redundancyMaster>');
    const r = await runEngineCli(["enable", broken, "A", "--state-dir", stateDir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken\.xml:1:\d+ error RM0\d\d /);
  });

  it("service prints a systemd unit for run, with no secret in it", async (t) => {
    const installed = engineCopyIn(homedir());
    t.after(() => removeEngineCopy(installed));
    const r = await runEngineCli(["service", "--config", config], undefined, undefined, installed);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^ExecStart=\\S+node\\S* \\S+engine\\.js run ${config.replace(/[.]/g, "\\.")} --state-dir /var/lib/redundancymaster$`, "m"));
    assert.match(r.stdout, /^Restart=on-failure$/m);
    assert.match(r.stdout, /^StateDirectory=redundancymaster$/m);
    assert.match(r.stdout, /^EnvironmentFile=-\/etc\/redundancymaster\/smtp\.env$/m);
    assert.doesNotMatch(r.stdout, /^Environment=/m, "no password or other variable is set in the unit itself");
  });

  it("run serves its control channel only over the IPC of a forked process, never a socket", async () => {
    const noChannel = await runEngineCli(["run", config, "--control", "ipc", "--state-dir", stateDir]);
    assert.equal(noChannel.code, 2);
    assert.match(noChannel.stderr, /--control ipc needs an IPC channel: start the engine with child_process\.fork/);
    const tcp = await runEngineCli(["run", config, "--control", "tcp", "--state-dir", stateDir]);
    assert.equal(tcp.code, 2);
    assert.match(tcp.stderr, /--control takes 'ipc'/);
  });

  it("service needs --config", async () => {
    const r = await runEngineCli(["service"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs --config FILE/);
  });
});
