import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { userName } from "../../engine/src/host/actor";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { ensureEngineBuilt, runEngineCli } from "../support/engineCli";
import { EngineRun } from "../support/engineRun";
import { startSims } from "../support/startSims";

// Ports 23656–23658 belong to this file.
const config = `<?xml version="1.0" encoding="UTF-8"?>
<redundancyMaster version="1">
  <server name="Line9" port="23658">
    <primary host="plc-a" url="opc.tcp://127.0.0.1:23656"/>
    <secondary host="plc-b" url="opc.tcp://127.0.0.1:23657"/>
    <connection mode="warm" statusIntervalMs="2000" statusTimeoutMs="1500"/>
    <security trustPolicy="explicit"/>
  </server>
</redundancyMaster>
`;

describe("run + trust: an explicit trust list, and a person trusting one server from the command line", () => {
  let dir: string;
  let file: string;
  let state: string;
  let sims: SimProcess[] = [];
  let engine: EngineRun | undefined;

  before(async () => {
    await ensureEngineBuilt();
    dir = await mkdtemp(join(tmpdir(), "rm-run-trust-"));
    file = join(dir, "redundancymaster.xml");
    state = join(dir, "state");
    await writeFile(file, config);
    sims = await startSims([
      { port: 23656, identity: "plc-a", pkiDir: join(dir, "pki-a") },
      { port: 23657, identity: "plc-b", pkiDir: join(dir, "pki-b") },
    ]);
    assert.equal((await runEngineCli(["enable", file, "Line9", "--state-dir", state])).code, 0);
  });

  after(async () => {
    await engine?.close();
    await Promise.all(sims.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  let thumbprint = "";

  it("refuses both servers, files their certificates and names the command that trusts each", async () => {
    engine = new EngineRun([file, "--state-dir", state]);
    await engine.waitFor("Line9/primary", /^Refused to open a session .* its certificate is not trusted/, 60_000);
    await engine.waitFor("Line9/secondary", /^Refused to open a session .* its certificate is not trusted/, 60_000);
    const refusal = engine.matching("Line9/primary", /^Refused/)[0].text;
    thumbprint = /thumbprint ([0-9a-f]{40})/.exec(refusal)![1];
    assert.ok(refusal.includes(`'redundancymaster trust ${file} Line9 primary --thumbprint ${thumbprint} --state-dir ${state}'`), refusal);
    assert.match(refusal, /no credential was sent/);
    assert.equal(engine.matching("Line9/primary", /^Connected/).length, 0);
    assert.equal((await readdir(join(state, "pki", "upstream", "rejected"))).length, 2);
  });

  it("trust shows the refused certificate, refuses a thumbprint that is not it, and trusts the one shown", async () => {
    const shown = await runEngineCli(["trust", file, "Line9", "primary", "--state-dir", state]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /subject +.*CN=plc-a/);
    assert.match(shown.stdout, /valid +\d{4}-\d\d-\d\dT.* to \d{4}-/);
    assert.match(shown.stdout, new RegExp(`thumbprint +${thumbprint}`));
    const wrong = await runEngineCli(["trust", file, "Line9", "primary", "--thumbprint", "00".repeat(20), "--state-dir", state]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, new RegExp(`has thumbprint ${thumbprint}, not 0{40}`));
    const trusted = await runEngineCli(["trust", file, "Line9", "primary", "--thumbprint", thumbprint, "--state-dir", state]);
    assert.equal(trusted.code, 0, trusted.stderr);
  });

  it("the running engine connects to that server alone, and logs who trusted it", async () => {
    await engine!.waitFor("Line9/primary", /^Connected to 'Line9' on primary/, 30_000);
    await engine!.waitFor("Line9/primary", new RegExp(`\\(thumbprint ${thumbprint}\\) was trusted by ${userName()} \\(command line\\)\\.$`));
    assert.equal(engine!.matching("Line9/secondary", /^Connected/).length, 0, "the other server stays refused");
  });

  it("SIGTERM stops it, and the stop is logged with where it came from", async () => {
    engine!.signal("SIGTERM");
    assert.equal((await engine!.exited).code, 0, engine!.stderr);
    assert.equal(engine!.matching("engine", /^The engine is stopping, as signal SIGTERM \(command line or service manager\) asked\.$/).length, 1);
  });
});
