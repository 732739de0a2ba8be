import assert from "node:assert/strict";
import { request } from "node:http";
import { createServer } from "node:net";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { OPCUAClient } from "node-opcua";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { EnabledStore } from "../../engine/src/state/enabledStore";
import { endpointSession } from "../bench/support/benchEngine";
import { subscribeLoad } from "../bench/support/loadSubscription";
import { ensureEngineBuilt } from "../support/engineCli";
import { EngineRun } from "../support/engineRun";
import { reservePort } from "../support/portReservation";
import { startSims } from "../support/startSims";

// Ports 23780–23784 belong to this file.
const [SIM_A, SIM_B, ENDPOINT, METRICS, METRICS_MOVED] = [23780, 23781, 23782, 23783, 23784];
/** Bulk items the client subscribes beside the Counter. */
const ITEMS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const config = (metrics: string) => `<?xml version="1.0" encoding="UTF-8"?>
<redundancyMaster version="1">
  <server name="Line" port="${ENDPOINT}">
    <primary host="a" url="opc.tcp://127.0.0.1:${SIM_A}"/>
    <secondary host="b" url="opc.tcp://127.0.0.1:${SIM_B}"/>
    <connection mode="hot" statusIntervalMs="1000" statusTimeoutMs="500"/>
  </server>
  ${metrics}
</redundancyMaster>
`;

/** GET that URL: status and body, or the connection's error code (ECONNREFUSED: nothing listens there). */
function get(host: string, port: number, path = "/metrics"): Promise<{ status: number; type: string; body: string } | { error: string }> {
  return new Promise((done) => {
    const req = request({ host, port, path, timeout: 5000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => done({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    req.end();
  });
}

/** The samples of a scrape, `name{labels}` → value. */
async function scrape(port: number): Promise<Map<string, number>> {
  const answer = await get("127.0.0.1", port);
  if ("error" in answer) throw new Error(`scrape of port ${port} failed: ${answer.error}`);
  assert.equal(answer.status, 200);
  assert.equal(answer.type, "text/plain; version=0.0.4; charset=utf-8");
  const samples = new Map<string, number>();
  for (const line of answer.body.split("\n")) {
    const m = /^([a-z0-9_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) samples.set(m[1], Number(m[2]));
  }
  return samples;
}

/** Probes until it returns something; fails with the last thing it saw. */
async function until<T>(what: string, probe: () => Promise<{ done: boolean; seen: T }>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { done, seen } = await probe();
    if (done) return seen;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s; last seen: ${JSON.stringify(seen instanceof Map ? Object.fromEntries(seen) : seen)}`);
    await sleep(250);
  }
}

describe("metrics: the Prometheus text of <metrics port>", () => {
  it("off without the element; on 127.0.0.1 only once set; counts what the client got, the items, a failover and its duration; follows reloads", async (t) => {
    await ensureEngineBuilt();
    for (const port of [SIM_A, SIM_B, ENDPOINT, METRICS, METRICS_MOVED]) assert.ok(reservePort(port), `port ${port} is free of other test processes`);
    const dir = await mkdtemp(join(tmpdir(), "rm-metrics-"));
    const file = join(dir, "redundancymaster.xml");
    const stateDir = join(dir, "state");
    const clients: OPCUAClient[] = [];
    let sims: SimProcess[] = [];
    let engine: EngineRun | undefined;
    const save = async (text: string) => {
      await writeFile(`${file}.saving`, text);
      await rename(`${file}.saving`, file);
    };
    try {
      await writeFile(file, config(""));
      await new EnabledStore(join(stateDir, "enabled.json")).set(file, ["Line"], true);
      sims = await startSims([
        { port: SIM_A, identity: "sim-a", items: ITEMS },
        { port: SIM_B, identity: "sim-b", items: ITEMS },
      ]);
      engine = new EngineRun([file, "--state-dir", stateDir]);
      await engine.waitFor("Line", /^Pair 'Line' serves its OPC UA clients at /, 60_000);
      assert.deepEqual(await get("127.0.0.1", METRICS), { error: "ECONNREFUSED" }, "no element, no listener");

      // Another program holds the port first: said once, tried again until it is free.
      const holder = createServer();
      await new Promise<void>((listening) => holder.listen(METRICS, "127.0.0.1", listening));
      await save(config(`<metrics port="${METRICS}"/>`));
      await engine.waitFor(
        "engine",
        new RegExp(`^The engine's metrics cannot be served on 127\\.0\\.0\\.1 port ${METRICS}: the port is in use\\. The pairs run on; the port is tried again every 5 s\\.$`),
      );
      await engine.waitFor("engine", /^Configuration reloaded from .*: metrics settings applied\.$/);
      await new Promise<void>((closed) => holder.close(() => closed()));
      await engine.waitFor("engine", new RegExp(`^The engine's metrics are served in Prometheus' text format at http://127\\.0\\.0\\.1:${METRICS}/metrics\\.$`), 15_000);
      assert.equal(engine.matching("engine", /^The engine's metrics cannot be served/).length, 1, "the retries are not posted");
      assert.deepEqual(await get("127.0.0.2", METRICS), { error: "ECONNREFUSED" }, "bound to 127.0.0.1 alone: another loopback address finds nothing");
      const elsewhere = await get("127.0.0.1", METRICS, "/");
      assert.ok("status" in elsewhere && elsewhere.status === 404, `only /metrics is served: ${JSON.stringify(elsewhere)}`);

      let received = 0;
      const { session, ns } = await endpointSession(`opc.tcp://127.0.0.1:${ENDPOINT}`, clients);
      await subscribeLoad(session, ns, ITEMS, { counter: () => received++, item: () => received++ });
      const key = (name: string, side?: string) => `redundancymaster_pair_${name}{pair="Line"${side ? `,side="${side}"` : ""}}`;
      const settled = await until("both sides and the endpoint carry the client's items", async () => {
        const seen = await scrape(METRICS);
        const done =
          seen.get(key("downstream_items")) === ITEMS + 1 &&
          seen.get(key("upstream_items", "primary")) === ITEMS + 1 &&
          seen.get(key("upstream_items", "secondary")) === ITEMS + 1 &&
          seen.get(key("standby_buffered_values"))! > 0;
        return { done, seen };
      });
      // A side that answers first serves first; should the other take over at the start, that is a switch too.
      const promotions = () => engine!.matching("Line/primary", /^Promoted /).length + engine!.matching("Line/secondary", /^Promoted /).length;
      const failoversBefore = settled.get(key("failovers_total"))!;
      assert.equal(failoversBefore, promotions() - 1, `a failover for each promotion after the first: ${JSON.stringify(engine.lines.map((l) => l.text))}`);
      if (failoversBefore === 0) assert.equal(settled.get(key("last_switch_seconds")), undefined, "no switch yet");
      assert.ok(settled.get("redundancymaster_engine_resident_memory_bytes")! > 50e6, "the engine's RSS");
      assert.ok(settled.has("redundancymaster_engine_event_loop_lag_p99_seconds"));

      const before = { forwarded: (await scrape(METRICS)).get(key("values_forwarded_total"))!, received };
      await sleep(6000);
      const after = { forwarded: (await scrape(METRICS)).get(key("values_forwarded_total"))!, received };
      const [forwarded, got] = [after.forwarded - before.forwarded, after.received - before.received];
      assert.ok(got > 200, `the client got values meanwhile (${got})`);
      // The scrape and the client's count are not taken at one instant: a publishing interval's values apart, at most.
      assert.ok(Math.abs(forwarded - got) <= 0.1 * got, `forwarded ${forwarded} values while the client got ${got}`);

      // Hot mode keeps the standby's values for a switch, back to a horizon of 3 s here (30 values an
      // item at 10 Hz), but only those the active side has not delivered yet: about one an item
      // while both deliver. The smallest of a few scrapes, as either side's publish may come late.
      const held: number[] = [];
      for (let i = 0; i < 5; i++) {
        held.push((await scrape(METRICS)).get(key("standby_buffered_values"))!);
        await sleep(500);
      }
      assert.ok(Math.min(...held) <= 3 * (ITEMS + 1), `the standby buffer holds what the active side has not delivered, not the horizon: ${held.join(", ")} values for ${ITEMS + 1} items`);

      // Whichever side answered first serves (no failback is configured): that one is killed.
      const active = engine.matching("Line/primary", /^Promoted /).length ? "primary" : "secondary";
      const other = active === "primary" ? "secondary" : "primary";
      await sims[active === "primary" ? 0 : 1].kill();
      await engine.waitFor(`Line/${other}`, new RegExp(`^Promoted active connection for server 'Line' to ${other} machine '${other === "primary" ? "a" : "b"}'\\.$`));
      const switched = await until("the failover counted, with its duration", async () => {
        const seen = await scrape(METRICS);
        return { done: seen.get(key("failovers_total")) === failoversBefore + 1 && seen.has(key("last_switch_seconds")), seen };
      });
      const switchSeconds = switched.get(key("last_switch_seconds"))!;
      assert.ok(switchSeconds >= 0 && switchSeconds < 2, `hot switch took ${switchSeconds} s`);
      t.diagnostic(`in 6 s the pair forwarded ${forwarded} values and the client got ${got}; standby values held: ${held.join(", ")}; the SIGKILL's switch took ${switchSeconds * 1000} ms`);
      await until("the lost side carries no items", async () => {
        const seen = await scrape(METRICS);
        return { done: seen.get(key("upstream_items", active)) === 0, seen };
      });

      await save(config(`<metrics port="${METRICS_MOVED}"/>`));
      await engine.waitFor("engine", new RegExp(`at http://127\\.0\\.0\\.1:${METRICS_MOVED}/metrics\\.$`));
      assert.equal((await scrape(METRICS_MOVED)).get(key("failovers_total")), failoversBefore + 1, "the pair was not restarted by the move");
      assert.deepEqual(await get("127.0.0.1", METRICS), { error: "ECONNREFUSED" }, "the old port is closed");

      await save(config(""));
      await engine.waitFor("engine", /^Configuration reloaded from .*: metrics settings applied\.$/, 30_000, 3);
      assert.deepEqual(await get("127.0.0.1", METRICS_MOVED), { error: "ECONNREFUSED" }, "the element removed, the listener is gone");
      assert.deepEqual(
        engine.lines.filter((l) => l.where === "?"),
        [],
        "stdout carries event lines only",
      );
    } finally {
      await Promise.all(clients.map((c) => c.disconnect().catch(() => undefined)));
      await engine?.close();
      await Promise.all(sims.map((s) => s.close()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
