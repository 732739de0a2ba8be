import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AttributeIds, TimestampsToReturn, type ClientSession, type DataValue } from "node-opcua";
import type { Side } from "../../engine/src/events/catalog";
import { SimNodes } from "../../engine/src/sim/simServer";
import { serverLoad } from "../support/pairHarness";
import { ProxyFixture, until } from "../support/proxyFixture";
import { switchFigures, type CounterSample } from "../support/switchFigures";

// Ports 23440–23449 belong to this file.
const ROUNDS = 3;
/** A hang is seen within 1.9 s; the timeout leaves a loaded machine's slow answer room (the bench measures 20 rounds of each fault). */
const STATUS = { statusIntervalMs: 1000, statusTimeoutMs: 900 };
/** Before a fault the pair is settled: no side connected or lost for this long, so the standby has been buffering. */
const SETTLED_MS = 2000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Counter as an HMI subscribes to it (every change, a queue of 10), with every status it shows and when. */
async function subscribeCounter(session: ClientSession, ns: number, samples: CounterSample[], statuses: { status: string; at: number }[] = []): Promise<void> {
  const subscription = await session.createSubscription2({
    requestedPublishingInterval: 50,
    publishingEnabled: true,
    requestedMaxKeepAliveCount: 10,
    requestedLifetimeCount: 600,
    maxNotificationsPerPublish: 0,
  });
  const item = await subscription.monitor(
    { nodeId: `ns=${ns};s=${SimNodes.counter}`, attributeId: AttributeIds.Value },
    { samplingInterval: 0, queueSize: 10, discardOldest: true },
    TimestampsToReturn.Both,
  );
  item.on("changed", (dv: DataValue) => {
    statuses.push({ status: dv.statusCode.name, at: Date.now() });
    if (dv.statusCode.isGood()) samples.push({ value: Number(dv.value.value), sourceTime: dv.sourceTimestamp?.getTime() ?? 0, at: Date.now() });
  });
}

describe("proxy endpoint, hot mode: a crash, a hang or a shutdown of the active server loses no value", () => {
  let fx: ProxyFixture;
  before(async () => {
    fx = await ProxyFixture.start({ mode: "hot", ports: [23440, 23441, 23442], config: { connection: { mode: "hot", alwaysReconnectToPrimary: false, failbackHoldDownMs: 0, ...STATUS } } });
  });
  after(async () => {
    fx?.primary.signal("SIGCONT");
    fx?.secondary.signal("SIGCONT");
    await fx?.close();
  });

  it(`SIGKILL, SIGSTOP and shutdown of the active side, ${ROUNDS} rounds each: every value once, in order, all Good, from the first failover after start on`, async () => {
    await until("a side active", () => fx.pair.active !== null, 30_000);
    const client = await fx.connect();
    const received: CounterSample[] = [];
    const statuses: { status: string; at: number }[] = [];
    await subscribeCounter(client.session, client.ns, received, statuses);
    // When no side was active at all (both failing at once on a loaded machine): then, and only then, the client sees BadNoCommunication.
    const outages: { from: number; to: number }[] = [];
    fx.pair.on("activeChanged", (side) => {
      if (side === null) outages.push({ from: Date.now(), to: Infinity });
      else if (outages.at(-1)?.to === Infinity) outages.at(-1)!.to = Date.now();
    });
    const rounds: string[] = [];
    for (const fault of ["sigkill", "sigstop", "shutdown"] as const) {
      for (let round = 1; round <= ROUNDS; round++) {
        await until(
          "the pair settled, both sides up",
          () => {
            const last = fx.events.filter((e) => /^(connected|statusLost|connectFailed|promoted)\./.test(e.id)).at(-1);
            return fx.pair.snapshot().status === "Paired and Available" && (!last || Date.now() - last.at > SETTLED_MS);
          },
          60_000,
        );
        const failing = fx.pair.active!;
        const standby: Side = failing === "primary" ? "secondary" : "primary";
        await until("values at the client", () => received.length > 0 && Date.now() - received.at(-1)!.at < 400, 30_000);
        // The truth: the standby's Counter as a plain client of it sees it.
        const truth: CounterSample[] = [];
        const direct = await fx.connectTo(fx.sim(standby).url);
        await subscribeCounter(direct.session, direct.ns, truth);
        await sleep(1000);

        const faultAt = Date.now();
        // A shutdown announces itself 2 s ahead (SecondsTillShutdown), then the server closes.
        const shutdown = fault === "shutdown" ? fx.sim(failing).shutdown(2) : fx.sim(failing).signal(fault === "sigkill" ? "SIGKILL" : "SIGSTOP");
        await until(`a value from the ${standby} (${fault} round ${round})`, () => switchFigures(received, truth, faultAt) !== undefined, 30_000);
        // Values still on their way (the replay) arrive while the failed server comes back as the standby.
        const connected = fx.events.filter((e) => e.id === `connected.${failing}`).length;
        await shutdown;
        await fx.sim(failing).close();
        await fx.sim(failing).restart();
        const figures = switchFigures(received, truth, faultAt)!;
        rounds.push(`${fault} ${round}: ${figures.lost} lost, gap ${figures.gapMs} ms`);
        const near = (list: CounterSample[]) =>
          list
            .filter((v) => Math.abs(v.sourceTime - faultAt) < 2000)
            .map((v) => `${v.value}@${v.sourceTime - faultAt}`)
            .join(" ");
        assert.equal(
          figures.lost,
          0,
          `${fault} round ${round}: no value the standby produced is lost; rounds so far: ${rounds.join("; ")}; ` +
            `received (value@source time from the fault): ${near(received)}; the standby produced: ${near(truth)}; events: ${fx.events.map((e) => e.id).join(", ")}`,
        );
        await until(`the ${failing} back`, () => fx.events.filter((e) => e.id === `connected.${failing}`).length > connected, 60_000);
        // Its standby items: the forwarding subscription beside the status watch.
        await until(`the ${failing}'s standby subscription`, async () => (await serverLoad(fx.sim(failing).url)).subscriptions >= 2, 30_000);
        await sleep(1000);
      }
    }
    console.log(`# hot mode rounds: ${rounds.join("; ")}`);
    const unexplained = statuses.filter((s) => s.status !== "Good" && !outages.some((o) => o.from <= s.at && s.at <= o.to + 500 && o.to - o.from > 20));
    const story = fx.events.map((e) => `${e.id}@${e.at}${e.fields.detail ? ` (${e.fields.detail})` : ""}`).join(", ");
    assert.deepEqual(unexplained, [], `no Bad value at the client while a side serves, not even at the first failover after start; outages ${JSON.stringify(outages)}; events: ${story}`);
    const values = received.map((s) => s.value);
    const disorder = values.flatMap((v, i) => (i > 0 && v <= values[i - 1] ? [`${values[i - 1]} then ${v}`] : []));
    assert.deepEqual(disorder, [], "each value once, in order");
  });
});
