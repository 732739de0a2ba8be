import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { eventLogFile } from "../../engine/src/state/stateDir";
import { actor } from "../../engine/src/host/actor";
import { ensureEngineBuilt, runEngineCli } from "../support/engineCli";
import { EngineRun, exactLine } from "../support/engineRun";

// Ports 22930–22939 belong to this file; nothing listens on the upstream ones.
const config = `<redundancyMaster version="1">
  <server name="Lonely" port="22932">
    <primary host="nowhere-a" url="opc.tcp://127.0.0.1:22930"/>
    <secondary host="nowhere-b" url="opc.tcp://127.0.0.1:22931"/>
  </server>
  <diagnostics preserveOnShutdown="true"/>
</redundancyMaster>`;

describe("run when the event log cannot be written", () => {
  let dir: string;
  let engine: EngineRun | undefined;
  before(async () => {
    await ensureEngineBuilt();
    dir = await mkdtemp(join(tmpdir(), "rm-disk-"));
    await writeFile(join(dir, "redundancymaster.xml"), config);
  });
  after(async () => {
    await engine?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reports the failure once as an event, keeps running, and still exits 0", async () => {
    const file = join(dir, "redundancymaster.xml");
    const stateDir = join(dir, "state");
    engine = new EngineRun([file, "--state-dir", stateDir]);
    await engine.waitFor("Lonely", /is not enabled on this machine/);
    // The log's place is taken by a folder that is not empty: every write of the log fails from now on.
    await rm(eventLogFile(stateDir, file), { force: true });
    await mkdir(join(eventLogFile(stateDir, file), "occupied"), { recursive: true });

    assert.equal((await runEngineCli(["enable", file, "Lonely", "--state-dir", stateDir])).code, 0);
    await engine.waitFor("Lonely", exactLine(`Redundancy enabled for 'Lonely' by ${actor("command line")}.`));
    await engine.waitFor("engine", /^The event log could not be written to '.*events\/redundancymaster-[0-9a-f]{8}\.json': E\w+: /, 15_000);
    assert.equal(engine.matching("engine", /^The event log could not be written/)[0].severity, "error");
    assert.doesNotMatch(engine.matching("engine", /^The event log could not be written/)[0].text, /(E[A-Z]+): \1/, "the error's code is said once");

    assert.equal((await runEngineCli(["disable", file, "Lonely", "--state-dir", stateDir])).code, 0);
    await engine.waitFor("Lonely", exactLine(`Redundancy disabled for 'Lonely' by ${actor("command line")}.`));
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(engine.matching("engine", /^The event log could not be written/).length, 1, "reported once while it keeps failing");

    engine.signal("SIGTERM");
    assert.equal((await engine.exited).code, 0, engine.stderr);
  });

  it("refuses a state folder it cannot create, with a clear message", async () => {
    const blocker = join(dir, "a-file");
    await writeFile(blocker, "");
    const r = await runEngineCli(["run", join(dir, "redundancymaster.xml"), "--state-dir", join(blocker, "state")]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /redundancymaster run: cannot use the state folder .*a-file\/state: (ENOTDIR|EEXIST); choose another with --state-dir/);
  });
});
