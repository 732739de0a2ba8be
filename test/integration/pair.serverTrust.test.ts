import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { OPCUAClient } from "node-opcua";
import type { SecurityConfig, TrustPolicy } from "../../engine/src/config/model";
import { formatEventText } from "../../engine/src/events/catalog";
import { createPair, type Pair } from "../../engine/src/pair/pair";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { certificateFacts, leafCertificate } from "../../engine/src/upstream/certificateFacts";
import { ServerTrust } from "../../engine/src/upstream/serverTrust";
import { pairConfig, type PostedEvent } from "../support/pairHarness";
import { until } from "../support/proxyFixture";
import { startSims } from "../support/startSims";

const USER = "operator";
const PASSWORD = "pw-4Tq!trust-me-not";
const PASSWORD_ENV = "RM_TEST_TRUST_PASSWORD";

const scratch: string[] = [];
function tempFolder(name: string): string {
  const folder = mkdtempSync(join(tmpdir(), `rm-trust-${name}-`));
  scratch.push(folder);
  return folder;
}

/** The thumbprint of the certificate a server presents, as a plain client reads it from GetEndpoints. */
async function presentedThumbprint(url: string): Promise<string> {
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
  try {
    await client.connect(url);
    const endpoints = await client.getEndpoints();
    return certificateFacts(leafCertificate(endpoints[0].serverCertificate as Buffer)!).thumbprint;
  } finally {
    await client.disconnect();
  }
}

interface Run {
  pair: Pair;
  events: PostedEvent[];
  trust: ServerTrust;
}

function startPair(sims: SimProcess[], security: Partial<SecurityConfig> & { trustPolicy: TrustPolicy }): Run {
  const events: PostedEvent[] = [];
  const trust = new ServerTrust(tempFolder("store"));
  const config = {
    ...pairConfig({ mode: "warm", alwaysReconnectToPrimary: false }, [sims[0].url, sims[1].url]),
    security: { mode: "None", policy: "None", user: USER, passwordEnv: PASSWORD_ENV, ...security } as SecurityConfig,
  };
  const pair = createPair(
    config,
    {
      postEvent: (e) => events.push({ id: e.side ? `${e.kind}.${e.side}` : e.kind, kind: e.kind, side: e.side, fields: e.fields, at: Date.now() }),
      onChanged: () => undefined,
    },
    { trust, trustCommand: (side, thumbprint) => `redundancymaster trust config.xml ${config.effectiveName} ${side} --thumbprint ${thumbprint}` },
  );
  return { pair, events, trust };
}

const story = (events: PostedEvent[]) => events.map((e) => `${e.id}: ${formatEventText(e.kind, { ...e.fields, side: e.side })}`).join("\n");

// Ports 23650–23655 belong to this file.
describe("pair: the trust list of upstream servers", () => {
  const sims: SimProcess[] = [];
  const pairs: Pair[] = [];
  process.env[PASSWORD_ENV] = PASSWORD;

  after(async () => {
    await Promise.all(pairs.map((p) => p.stop()));
    await Promise.all(sims.map((s) => s.close()));
    for (const folder of scratch) rmSync(folder, { recursive: true, force: true });
  });

  async function simPair(ports: [number, number]): Promise<SimProcess[]> {
    const started = await startSims(
      ports.map((port, i) => ({
        port,
        identity: i === 0 ? "primary" : "secondary",
        users: [{ name: USER, password: PASSWORD }],
        pkiDir: tempFolder(`sim-${port}`),
      })),
    );
    sims.push(...started);
    return started;
  }

  it("firstUse: pins each side's certificate, and a swapped certificate gets no password until a person trusts it", async () => {
    const [primary, secondary] = await simPair([23650, 23651]);
    const original = await presentedThumbprint(primary.url);
    const run = startPair([primary, secondary], { trustPolicy: "firstUse" });
    pairs.push(run.pair);
    await run.pair.start();
    await until("both sides connected", () => run.pair.snapshot().status === "Paired and Available", 30_000);
    const pinned = run.events.find((e) => e.id === "serverCertificatePinned.primary");
    assert.ok(pinned, story(run.events));
    assert.equal(pinned.fields.thumbprint, original, "the pin names the certificate the server presents");
    assert.ok(
      run.events.some((e) => e.id === "serverCertificatePinned.secondary"),
      story(run.events),
    );
    assert.ok(
      primary.logins.some((l) => l.user === USER && l.accepted),
      "the password reached the pinned server",
    );

    // The primary comes back on the same address with another certificate: another machine, as far as anyone can tell.
    await primary.kill();
    primary.options.pkiDir = tempFolder("sim-swapped");
    await primary.restart();
    const swapped = await presentedThumbprint(primary.url);
    assert.notEqual(swapped, original);
    const loginsBefore = primary.logins.length;
    const attemptsBefore = run.pair.connectionAttempts("primary");
    await until("the changed certificate refused", () => run.events.some((e) => e.id === "serverCertificateChanged.primary"), 30_000);
    await until("three more attempts at the swapped server", () => run.pair.connectionAttempts("primary") >= attemptsBefore + 3, 30_000);
    assert.deepEqual(primary.logins.slice(loginsBefore), [], "no login, so no password, reached the swapped server");

    const changed = run.events.filter((e) => e.id === "serverCertificateChanged.primary");
    assert.equal(changed.length, 1, "posted once, not on every retry");
    const text = formatEventText("serverCertificateChanged", { ...changed[0].fields, side: "primary" });
    assert.match(text, new RegExp(`thumbprint ${swapped}`));
    assert.match(text, new RegExp(`pinned was ${original}`));
    assert.match(text, /no credential was sent/);
    assert.match(text, new RegExp(`redundancymaster trust config.xml test.warm primary --thumbprint ${swapped}`));
    const side = run.pair.snapshot().primary;
    assert.equal(side.state, "Disconnected");
    assert.equal(side.untrustedCertificate?.thumbprint, swapped);
    assert.equal(side.untrustedCertificate?.reason, "changed");
    assert.equal(side.untrustedCertificate?.pinnedThumbprint, original);
    assert.match(side.reason ?? "", /differs from the one pinned at first use/);
    assert.ok(
      readdirSync(run.trust.rejectedFolder).some((f) => f.includes(swapped)),
      "filed under rejected/",
    );
    assert.equal(run.pair.active, "secondary", "the pair serves from the secondary meanwhile");

    await assert.rejects(run.trust.trust(primary.url, original, "tester (test)"), /has thumbprint/, "only the certificate shown can be trusted");
    await run.trust.trust(primary.url, swapped, "tester (test)");
    await until("the primary connected with the trusted certificate", () => run.pair.snapshot().primary.state === "Running", 30_000);
    const trusted = run.events.find((e) => e.id === "serverCertificateTrusted.primary");
    assert.ok(trusted, story(run.events));
    assert.equal(trusted.fields.by, "tester (test)");
    assert.equal(run.pair.snapshot().primary.untrustedCertificate, undefined);
    assert.ok(
      primary.logins.slice(loginsBefore).some((l) => l.user === USER && l.accepted),
      "now the password goes to it",
    );
  });

  it("explicit: opens no session with a server whose certificate is not in the trust list, and files it under rejected/", async () => {
    const [primary, secondary] = await simPair([23652, 23653]);
    const run = startPair([primary, secondary], { trustPolicy: "explicit" });
    pairs.push(run.pair);
    await run.pair.start();
    await until("both sides refused", () => ["primary", "secondary"].every((s) => run.events.some((e) => e.id === `serverCertificateUntrusted.${s}`)), 30_000);
    await until("a retry on each side", () => run.pair.connectionAttempts("primary") >= 2 && run.pair.connectionAttempts("secondary") >= 2, 30_000);
    assert.deepEqual([...primary.logins, ...secondary.logins], [], "no login reached either server");
    assert.equal(run.pair.snapshot().status, "Pair not available");
    assert.ok(!run.events.some((e) => e.kind === "serverCertificatePinned"), "explicit pins nothing");
    assert.equal(readdirSync(run.trust.rejectedFolder).length, 2);

    // Trusting by hand: the certificate file moved into trusted/certs, as with node-opcua's own folders.
    const primaryThumbprint = await presentedThumbprint(primary.url);
    const file = readdirSync(run.trust.rejectedFolder).find((f) => f.includes(primaryThumbprint))!;
    copyFileSync(join(run.trust.rejectedFolder, file), join(run.trust.trustedFolder, file));
    await until("the primary connected", () => run.pair.snapshot().primary.state === "Running", 30_000);
    assert.ok(
      primary.logins.some((l) => l.accepted),
      "logged in once trusted",
    );
    assert.deepEqual(secondary.logins, [], "the other server is still refused");
    assert.ok(existsSync(run.trust.trustedFolder));
  });

  it("SignAndEncrypt: the secure channel is opened against the trusted certificate only", async () => {
    const [primary, secondary] = await simPair([23654, 23655]);
    const run = startPair([primary, secondary], { mode: "SignAndEncrypt", policy: "Basic256Sha256", trustPolicy: "firstUse" });
    pairs.push(run.pair);
    await run.pair.start();
    await until("both sides connected", () => run.pair.snapshot().status === "Paired and Available", 30_000);
    await secondary.kill();
    secondary.options.pkiDir = tempFolder("sim-swapped-secure");
    await secondary.restart();
    const loginsBefore = secondary.logins.length;
    const attemptsBefore = run.pair.connectionAttempts("secondary");
    await until("the changed certificate refused", () => run.events.some((e) => e.id === "serverCertificateChanged.secondary"), 30_000);
    await until("two more attempts", () => run.pair.connectionAttempts("secondary") >= attemptsBefore + 2, 30_000);
    assert.deepEqual(secondary.logins.slice(loginsBefore), []);
    assert.equal(run.pair.snapshot().secondary.state, "Disconnected");
  });
});
