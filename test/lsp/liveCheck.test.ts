import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe as suite, it } from "node:test";
import type { Diagnostic, MarkupContent } from "vscode-languageserver-protocol";
import { SimProcess } from "../../engine/src/sim/simProcess";
import { liveCheckForCli } from "../../engine/src/browse/liveItemCheck";
import { analyzeConfig } from "../../engine/src/config/validate";
import { runEngineCli } from "../support/engineCli";
import { describe } from "../support/expectDiagnostics";
import { closedPortUrl, startSimPair } from "./liveServers";
import { describeDiagnostic, LspClient, positionOf } from "./lspClient";

// Ports 22664–22667.
let client: LspClient;
let sims: { primary: SimProcess; secondary: SimProcess };

// One at a time, so that `after` closes whatever did start when something fails to.
before(async () => {
  client = await LspClient.start({ liveRecheckMs: 1000 });
  sims = await startSimPair(22664, 22665);
});
after(async () => {
  await client?.close();
  await Promise.all([sims?.primary.close(), sims?.secondary.close()]);
});

const ITEMS = ["ns=2;s=Counter", "ns=2;s=OnlyOnPrimary", "ns=2;s=OnlyOnSecondary", "ns=2;s=Nowhere", "i=2258"];

const config = (primary: string, secondary: string) => `<redundancyMaster version="1">
  <server name="Plant" port="48401">
    <primary url="${primary}"/>
    <secondary url="${secondary}"/>
    <monitoring failureCount="1">
${ITEMS.map((id) => `      <item id="${id}" trigger="badQuality"/>`).join("\n")}
    </monitoring>
  </server>
</redundancyMaster>
`;

const live = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === "RM061");
/** Live lookups on a machine busy with other suites can take long; this bounds the wait, it measures nothing. */
const LIVE_WAIT_MS = 60_000;
const messageOf = (d: Diagnostic) => (typeof d.message === "string" ? d.message : d.message.value);

suite("RM061 live check", () => {
  it("publishes the offline diagnostics first, then republishes with the items missing on a side", async () => {
    const uri = "file:///live/synced/redundancymaster.xml";
    const text = config(sims.primary.url, sims.secondary.url);
    assert.deepEqual(await client.open(uri, text), [], "plain validation does not wait for the servers");
    const found = live(await client.waitForDiagnostics(uri, (d) => live(d).length > 0, LIVE_WAIT_MS));
    assert.deepEqual(found.map(describeDiagnostic), ["RM061@6:16-36", "RM061@7:16-38", "RM061@8:16-30"]);
    const [onlyPrimary, onlySecondary, nowhere] = found.map(messageOf);
    assert.equal(onlyPrimary, `item 'ns=2;s=OnlyOnPrimary' is missing on the secondary (${sims.secondary.url}) but exists on the primary: pair not synced`);
    assert.equal(onlySecondary, `item 'ns=2;s=OnlyOnSecondary' is missing on the primary (${sims.primary.url}) but exists on the secondary: pair not synced`);
    assert.equal(nowhere, `item 'ns=2;s=Nowhere' exists on neither the primary (${sims.primary.url}) nor the secondary (${sims.secondary.url})`);
    assert.ok(found.every((d) => d.severity === 2 && d.source === "redundancymaster"));

    const shifted = await client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: "  <!-- moved down -->\n" }]);
    assert.deepEqual(live(shifted).map(describeDiagnostic), ["RM061@7:16-36", "RM061@8:16-38", "RM061@9:16-30"], "an edit keeps the warnings, moved with their items");
  });

  it("checks only the side it can reach, and says so", async () => {
    const uri = "file:///live/half/redundancymaster.xml";
    await client.open(uri, config(sims.primary.url, closedPortUrl(22666)));
    const found = live(await client.waitForDiagnostics(uri, (d) => live(d).length > 0, LIVE_WAIT_MS));
    assert.deepEqual(found.map(describeDiagnostic), ["RM061@7:16-38", "RM061@8:16-30"]);
    assert.equal(messageOf(found[0]), `item 'ns=2;s=OnlyOnSecondary' is missing on the primary (${sims.primary.url}); the secondary is not reachable`);
  });

  it("checks again while a side is unreachable, so its findings appear when it comes back", async () => {
    const uri = "file:///live/comeback/redundancymaster.xml";
    const latecomer = closedPortUrl(22667);
    await client.open(uri, config(sims.primary.url, latecomer));
    const before = live(await client.waitForDiagnostics(uri, (d) => live(d).length > 0, LIVE_WAIT_MS));
    assert.ok(before.every((d) => messageOf(d).endsWith("the secondary is not reachable")));
    const secondary = await SimProcess.start({ port: 22667, identity: "latecomer" });
    try {
      const after = live(await client.waitForDiagnostics(uri, (d) => live(d).some((x) => messageOf(x).includes("pair not synced")), LIVE_WAIT_MS));
      assert.deepEqual(after.map(messageOf), [
        `item 'ns=2;s=OnlyOnPrimary' is missing on the secondary (${latecomer}) but exists on the primary: pair not synced`,
        `item 'ns=2;s=OnlyOnSecondary' exists on neither the primary (${sims.primary.url}) nor the secondary (${latecomer})`,
        `item 'ns=2;s=Nowhere' exists on neither the primary (${sims.primary.url}) nor the secondary (${latecomer})`,
      ]);
    } finally {
      await secondary.close();
    }
  });

  it("adds nothing when neither side can be reached", async () => {
    const uri = "file:///live/offline/redundancymaster.xml";
    const offline = await client.open(uri, config(closedPortUrl(22666), closedPortUrl(22667)));
    assert.deepEqual(offline, []);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(await client.waitForDiagnostics(uri, () => true), []);
  });

  it("hovers an item id with the live node's browse path, type, value and status", async () => {
    const uri = "file:///live/hover/redundancymaster.xml";
    const text = config(sims.primary.url, sims.secondary.url);
    await client.open(uri, text);
    // Once the live check's findings are in, the sessions are open: the first hover is answered live.
    await client.waitForDiagnostics(uri, (d) => live(d).length > 0, LIVE_WAIT_MS);
    const markdown = ((await client.hover(uri, positionOf(text, "ns=2;s=Counter", 3)))!.contents as MarkupContent).value;
    const shownFrom = /^\*\*Live\*\* \((.+?)\)/.exec(markdown)?.[1];
    assert.ok(shownFrom === sims.primary.url || shownFrom === sims.secondary.url, markdown);
    assert.match(markdown, /- browse path: `Objects\/Simulation\/Counter`/);
    assert.match(markdown, /- data type: UInt32/);
    assert.match(markdown, /- value: `\d+`/);
    assert.match(markdown, /- status: Good/);
    assert.match(markdown, /The item's OPC UA NodeId/, "the attribute's docs follow");
    const missing = await client.hover(uri, positionOf(text, "ns=2;s=Nowhere", 3));
    assert.match((missing!.contents as MarkupContent).value, /no node `ns=2;s=Nowhere` on this server/);
  });

  it("gives `validate --live` the same findings through liveCheckForCli", async () => {
    const text = config(sims.primary.url, sims.secondary.url);
    const findings = await liveCheckForCli("redundancymaster.xml", text, analyzeConfig(text).diagnostics);
    assert.deepEqual(findings.map(describe), ["RM061@6:16-36", "RM061@7:16-38", "RM061@8:16-30"]);
    assert.ok(findings.every((f) => f.severity === "warning"));
  });

  it("looks ns= ids up on the secondary by the primary's namespace URI, and nsu= ids by theirs, when the two number the plant differently", async () => {
    // The plant is ns=2 on the primary and ns=3 on this secondary, which registers a vendor namespace first.
    const shifted = await SimProcess.start({ port: 22667, identity: "shifted", namespacesBefore: ["urn:vendor:plugin"] });
    try {
      const ids = ["ns=2;s=Counter", "nsu=urn:redundancymaster:sim;s=Counter", "nsu=urn:redundancymaster:sim;s=OnlyOnPrimary", "nsu=urn:elsewhere;s=Counter"];
      const text = `<redundancyMaster version="1">
  <server name="Plant" port="48401">
    <primary url="${sims.primary.url}"/>
    <secondary url="${shifted.url}"/>
    <monitoring failureCount="1">
${ids.map((id) => `      <item id="${id}" trigger="badQuality"/>`).join("\n")}
    </monitoring>
  </server>
</redundancyMaster>
`;
      const findings = await liveCheckForCli("redundancymaster.xml", text, analyzeConfig(text).diagnostics);
      assert.deepEqual(
        findings.map((f) => f.message),
        [
          `item 'nsu=urn:redundancymaster:sim;s=OnlyOnPrimary' is missing on the secondary (${shifted.url}) but exists on the primary: pair not synced`,
          `item 'nsu=urn:elsewhere;s=Counter' exists on neither the primary (${sims.primary.url}) nor the secondary (${shifted.url})`,
        ],
      );
    } finally {
      await shifted.close();
    }
  });

  it("`redundancymaster validate --live` prints them and exits 0 (warnings only), and names the servers it could not ask", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "rm-live-")), "redundancymaster.xml");
    writeFileSync(file, config(sims.primary.url, sims.secondary.url));
    const offline = await runEngineCli(["validate", file]);
    assert.deepEqual([offline.code, offline.stdout], [0, ""]);
    const run = await runEngineCli(["validate", "--live", "--format", "json", file]);
    assert.equal(run.code, 0, run.stderr);
    const printed = JSON.parse(run.stdout) as { code: string; range: { start: { line: number } } }[];
    assert.deepEqual(
      printed.map((d) => `${d.code}@${d.range.start.line}`),
      ["RM061@6", "RM061@7", "RM061@8"],
    );

    writeFileSync(file, config(closedPortUrl(22666), closedPortUrl(22667)));
    const unreachable = await runEngineCli(["validate", "--live", "--format", "json", file]);
    assert.deepEqual([unreachable.code, JSON.parse(unreachable.stdout)], [0, []]);
    assert.match(unreachable.stderr, /opc\.tcp:\/\/127\.0\.0\.1:22666 not checked \(/);
    assert.match(unreachable.stderr, /opc\.tcp:\/\/127\.0\.0\.1:22667 not checked \(/);
  });
});
