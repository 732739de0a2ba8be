import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { eventLogFile } from "../../engine/src/state/stateDir";
import { ensureEngineBuilt } from "../support/engineCli";
import type { RunLine } from "../support/engineRun";
import { FlapScenario } from "../support/flapScenario";

// Ports 23710–23717 belong to this file.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("reliability: a pair is the unit of failure", () => {
  it("an uncaught error inside one pair's work restarts that pair alone: the engine and the calm pair carry on, and the event is on disk at once", async () => {
    await ensureEngineBuilt();
    // The engine with node-opcua's crashing listener put back (engineWithNodeOpcuaBug.ts), behind the flapping links that trigger it.
    const scenario = await FlapScenario.start({ firstPort: 23710, entry: ["--import", "tsx", "test/support/engineWithNodeOpcuaBug.ts", "run"] });
    try {
      const { engine } = scenario;
      const from = Date.now();
      let fault: RunLine | undefined;
      for (const deadline = Date.now() + 150_000; !fault && Date.now() < deadline; await sleep(50)) {
        fault = engine.lines.find((l) => /failed unexpectedly/.test(l.text));
      }
      assert.ok(fault, `a fault within 150 s of flapping (engine ${scenario.alive ? "alive" : `exited ${engine.exitCode}`}):\n${engine.stderr.slice(-2000)}`);
      assert.match(fault.text, /^Pair 'Flap\.(cold|warm|hot)' failed unexpectedly and is restarted in \d+ s; the other pairs carry on \(Error = expecting a valid session \(at .*\)\)\.$/);
      assert.equal(fault.severity, "error");
      await sleep(500);
      const saved = JSON.parse(await readFile(eventLogFile(scenario.stateDir, scenario.configFile), "utf8")) as { events: { text: string }[] };
      assert.ok(
        saved.events.some((e) => e.text === fault!.text),
        "the fault is in the preserved log within half a second (flushed, not left to the next debounced write)",
      );

      const faultIndex = engine.lines.indexOf(fault);
      const pair = fault.where;
      const reconnected = () => engine.lines.slice(faultIndex).some((l) => l.where.startsWith(`${pair}/`) && /^Connected to /.test(l.text));
      for (const deadline = Date.now() + 60_000; !reconnected() && Date.now() < deadline; await sleep(100));
      assert.ok(reconnected(), `${pair} was started again and connected`);
      // The restarted pair's start (its endpoint's address space) must not cost the calm pair's client a value either.
      await sleep(Math.max(5000, from + 40_000 - Date.now()));
      const to = Date.now() - 1000;
      assert.ok(scenario.alive, `the engine is alive (exit ${engine.exitCode}):\n${engine.stderr.slice(-2000)}`);
      // A restart ends and opens again the sessions the calm pair had at the fault. A side may connect
      // for the first time after it, when the fault comes early on a loaded machine (a CI run: the
      // calm secondary's first session 9.5 s after the primary's, 0.2 s after the fault): no restart.
      const connectedAtFault = new Set(
        engine.lines
          .slice(0, faultIndex)
          .filter((l) => l.where.startsWith("Calm/") && /^Connected /.test(l.text))
          .map((l) => l.where),
      );
      assert.ok(connectedAtFault.has("Calm/primary"), `the calm pair's primary was connected before the fault (sides connected: ${[...connectedAtFault].join(", ") || "none"})`);
      const calm = engine.lines.slice(faultIndex).filter((l) => connectedAtFault.has(l.where) && /^(Connected|Disconnected) /.test(l.text));
      assert.deepEqual(
        calm.map((l) => `${l.where} ${l.text}`),
        [],
        `the calm pair was not restarted: the sessions it had at the fault stayed; calm since the fault: ${engine.lines
          .slice(faultIndex)
          .filter((l) => l.where.startsWith("Calm"))
          .map((l) => `+${l.at - fault!.at} ${l.where} ${l.text}`)
          .join(" | ")}`,
      );
      const produced = scenario.producedBetween(from, to);
      assert.ok(produced.length >= 50, `the sims produced a Counter to compare with (${produced.length} values both had)`);
      const lost = scenario.lost(from, to);
      assert.deepEqual(
        lost,
        [],
        `the calm pair's client got every value of ${produced.length}; lost at (ms after the fault) ${lost.map((v) => scenario.producedAt(v) - fault!.at).join(", ")}; faults: ${engine.lines
          .filter((l) => /failed unexpectedly/.test(l.text))
          .map((l) => `${l.where} +${l.at - fault!.at}`)
          .join(", ")}; calm: ${engine.lines
          .filter((l) => l.where.startsWith("Calm"))
          .map((l) => `+${l.at - fault!.at} ${l.where} ${l.text.slice(0, 40)}`)
          .join("; ")}`,
      );
    } finally {
      await scenario.close();
    }
  });
});
