import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EngineHost } from "../../engine/src/host/engineHost";
import { writeFileAtomic } from "../../engine/src/state/atomicFile";
import { refuseSharedState, steeringPaths } from "../../engine/src/state/privateState";
import { statePaths } from "../../engine/src/state/stateDir";

describe("state folder: private, and written whole", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "rm-state-security-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("two writes of one file at once both complete, and the file is one of them whole", async () => {
    const file = join(dir, "record.json");
    const contents = Array.from({ length: 20 }, (_, i) => `${String(i).padStart(2, "0")}:${"x".repeat(200_000)}\n`);
    const results = await Promise.allSettled(contents.map((text) => writeFileAtomic(file, text)));
    assert.deepEqual(
      results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)),
      [],
    );
    assert.ok(contents.includes(await readFile(file, "utf8")), "the file holds one write, whole");
  });

  it("refuses a state folder its group or other users may write, naming the fix", async () => {
    const state = statePaths(join(dir, "shared"));
    await mkdir(state.dir, { mode: 0o700 });
    await refuseSharedState(steeringPaths(state));
    await chmod(state.dir, 0o770);
    await assert.rejects(refuseSharedState(steeringPaths(state)), new RegExp(`${state.dir} can be written by its group \\(mode 770\\).*chmod go-w`));
    await chmod(state.dir, 0o700);
    const certs = join(state.pki, "upstream", "trusted", "certs");
    await mkdir(certs, { recursive: true, mode: 0o700 });
    await chmod(certs, 0o703);
    await assert.rejects(refuseSharedState(steeringPaths(state)), /trusted\/certs can be written by other users \(mode 703\)/);
    await chmod(certs, 0o700);
    await writeFile(state.enabled, "{}", { mode: 0o622 });
    await chmod(state.enabled, 0o622);
    await assert.rejects(refuseSharedState(steeringPaths(state)), /enabled\.json can be written by its group/);
  });

  it("the engine does not start on such a folder, and says why", async () => {
    const folder = join(dir, "engine");
    await mkdir(folder);
    const file = join(folder, "redundancymaster.xml");
    await writeFile(file, `<redundancyMaster version="1"/>`);
    const stateDir = join(folder, "state");
    await mkdir(stateDir, { mode: 0o700 });
    await chmod(stateDir, 0o777);
    const host = new EngineHost({
      configFile: file,
      stateDir,
      factory: {
        createPair: () => {
          throw new Error("no pair here");
        },
      },
      watchConfig: false,
    });
    await assert.rejects(host.start(), /can be written by its group \(mode 777\)/);
    await host.stop();
  });
});
