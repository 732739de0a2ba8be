import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { OPCUACertificateManager, OPCUAServer } from "node-opcua";
import { SimProcess } from "../../engine/src/sim/simProcess";
import { scratchTrust } from "../../engine/src/upstream/serverTrust";
import { UpstreamSession, type ServerStatusReading } from "../../engine/src/upstream/upstreamSession";
import { until } from "../support/proxyFixture";

const PKI = join(tmpdir(), "redundancymaster-pki", "test-status-watch");

/** An upstream session that records every status it emits and whether it was lost. */
async function openUpstream(url: string, statusIntervalMs: number) {
  const upstream = new UpstreamSession({
    url,
    security: { mode: "None", policy: "None", trustPolicy: "firstUse" },
    pkiDir: PKI,
    trust: scratchTrust(),
    applicationName: "RedundancyMaster",
    statusIntervalMs,
    statusTimeoutMs: 1000,
    connectTimeoutMs: 5000,
  });
  const statuses: (ServerStatusReading & { at: number })[] = [];
  let lost = "";
  upstream.on("status", (s: ServerStatusReading) => statuses.push({ ...s, at: Date.now() }));
  upstream.on("lost", (reason: string, detail: string) => (lost = `${reason}: ${detail}`));
  await upstream.open();
  return { upstream, statuses, lost: () => lost };
}

// Ports 23520–23521 belong to this file.
describe("upstream session: the server's status", () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it("learns of an announced shutdown from its status subscription, long before the next poll", async () => {
    const sim = await SimProcess.start({ port: 23520, identity: "primary" });
    cleanup.push(() => sim.close());
    // A poll a minute apart: only the subscription can tell of the shutdown in time.
    const { upstream, statuses } = await openUpstream(sim.url, 60_000);
    cleanup.push(() => upstream.close());
    await until("the first status", () => statuses.some((s) => s.running));
    const announcedAt = Date.now();
    const gone = sim.shutdown(3);
    await until("the shutdown noticed", () => statuses.some((s) => !s.running), 2000);
    const noticedMs = statuses.find((s) => !s.running)!.at - announcedAt;
    console.log(`# shutdown announced → status not running: ${noticedMs} ms`);
    assert.ok(noticedMs < 1000, `noticed in ${noticedMs} ms`);
    await gone;
  });

  it("watches a server that refuses subscriptions by the poll alone", async () => {
    const serverCertificateManager = new OPCUACertificateManager({ rootFolder: join(tmpdir(), "redundancymaster-pki", "test-no-subscriptions"), automaticallyAcceptUnknownCertificate: true });
    const server = new OPCUAServer({ port: 23521, hostname: "127.0.0.1", serverCertificateManager });
    await server.initialize();
    // node-opcua reads 0 in its options as "the default": the limit is set on the running engine instead.
    server.engine.serverCapabilities.maxSubscriptionsPerSession = 0;
    await server.start();
    let shutdown: Promise<void> | undefined;
    cleanup.push(async () => {
      await (shutdown ?? server.shutdown(0));
      await serverCertificateManager.dispose();
    });
    const { upstream, statuses, lost } = await openUpstream("opc.tcp://127.0.0.1:23521", 200);
    cleanup.push(() => upstream.close());
    await until("several polls", () => statuses.filter((s) => s.running).length >= 5);
    assert.equal(server.engine.currentSubscriptionCount, 0, "the server refused the status subscription");
    assert.equal(lost(), "", "the refusal does not cost the session");
    assert.ok(upstream.isOpen);
    const announcedAt = Date.now();
    shutdown = server.shutdown(3000);
    await until("the shutdown noticed by the poll", () => statuses.some((s) => !s.running), 2000);
    console.log(`# no subscription: shutdown announced → status not running: ${statuses.find((s) => !s.running)!.at - announcedAt} ms`);
  });
});
