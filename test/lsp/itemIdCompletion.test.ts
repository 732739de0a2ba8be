import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe as suite, it } from "node:test";
import { OPCUAClient } from "node-opcua";
import { leafCertificate } from "../../engine/src/upstream/certificateFacts";
import { ServerTrust } from "../../engine/src/upstream/serverTrust";
import type { CompletionItem, CompletionList } from "vscode-languageserver-protocol";
import { SimProcess } from "../../engine/src/sim/simProcess";
import { closedPortUrl, startHungEndpoint, startSimPair } from "./liveServers";
import { applyEdits, LspClient, positionOf } from "./lspClient";

// Ports 22660–22663 and 22670.
let client: LspClient;
let sims: { primary: SimProcess; secondary: SimProcess };
let hung: Awaited<ReturnType<typeof startHungEndpoint>>;

// One at a time, so that `after` closes whatever did start when something fails to.
before(async () => {
  client = await LspClient.start({ liveCheck: false });
  hung = await startHungEndpoint(22663);
  sims = await startSimPair(22660, 22661);
});
after(async () => {
  await client?.close();
  await Promise.all([sims?.primary.close(), sims?.secondary.close(), hung?.close()]);
});

const pairWith = (primary: string, secondary: string, item: string) => `<redundancyMaster version="1">
  <server name="Plant" port="48401">
    <primary url="${primary}"/>
    <secondary url="${secondary}"/>
    <monitoring failureCount="1">
      ${item}
    </monitoring>
  </server>
</redundancyMaster>
`;

/** The certificate a server presents, as its GetEndpoints answer carries it. */
async function presentedCertificate(url: string): Promise<Buffer> {
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
  try {
    await client.connect(url);
    return leafCertificate((await client.getEndpoints())[0].serverCertificate as Buffer)!;
  } finally {
    await client.disconnect();
  }
}

let documents = 0;
async function openAt(textWithCursor: string) {
  const uri = `file:///items/${++documents}/redundancymaster.xml`;
  const text = textWithCursor.replace("|", "");
  await client.open(uri, text);
  return { uri, text, position: positionOf(textWithCursor, "|") };
}

/** Asks again, as the editor does while a list is incomplete, until `done` holds (the bound allows for a machine busy with other suites). */
async function completeUntil(uri: string, position: { line: number; character: number }, done: (l: CompletionList) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  const answers: CompletionList[] = [];
  for (;;) {
    const list = await client.completion(uri, position);
    answers.push(list);
    if (done(list)) return { list, answers };
    if (Date.now() > deadline) throw new Error(`completion never settled; last: ${JSON.stringify(list.items.slice(0, 3))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const byLabel = (list: CompletionList, label: string): CompletionItem | undefined => list.items.find((i) => i.label === label);

suite("item-id completion from the live namespace", () => {
  it("browses the primary level by level, answering 'browsing…' first, then offers NodeIds with names, classes and types", async () => {
    const { uri, text, position } = await openAt(pairWith(sims.primary.url, sims.secondary.url, '<item id="|" trigger="badQuality"/>'));
    const { list, answers } = await completeUntil(uri, position, (l) => !l.isIncomplete);
    assert.equal(answers[0].isIncomplete, true, "the first answer does not wait for the whole namespace");
    assert.equal(answers[0].items[0].label, "browsing…");

    const counter = byLabel(list, "ns=2;s=Counter")!;
    assert.ok(counter, "the sim's Counter is offered");
    assert.equal(counter.labelDetails?.detail, " Counter");
    assert.equal(counter.labelDetails?.description, "Variable · UInt32");
    assert.equal(counter.detail, "Simulation/Counter");
    assert.ok(byLabel(list, "ns=2;s=OnlyOnPrimary"), "browsed on the primary");
    assert.equal(byLabel(list, "ns=2;s=OnlyOnSecondary"), undefined);
    assert.equal(byLabel(list, "ns=2;s=Simulation")?.labelDetails?.description, "Object");
    assert.ok(byLabel(list, "i=2258"), "standard nodes under Server are offered too (CurrentTime)");

    const chosen = applyEdits(text, [counter.textEdit as never, ...(counter.additionalTextEdits ?? [])]);
    assert.ok(chosen.includes('<item id="ns=2;s=Counter" dataType="UInt32" trigger="badQuality"/>'), chosen);
  });

  it("offers the plant's nodes first, in browse-path order, and the standard ones (ns=0, the Server object) last", async () => {
    const { uri, position } = await openAt(pairWith(sims.primary.url, sims.secondary.url, '<item id="|"/>'));
    const { list } = await completeUntil(uri, position, (l) => !l.isIncomplete);
    // What VS Code shows for an empty id: the items by lower-cased sortText, then label, compared as strings.
    const key = (i: CompletionItem) => [(i.sortText ?? String(i.label)).toLowerCase(), String(i.label)];
    const before = (a: CompletionItem, b: CompletionItem) => {
      const [x, y] = [key(a), key(b)];
      return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0;
    };
    const shown = [...list.items].sort(before);
    const internal = (i: CompletionItem) => !String(i.label).startsWith("ns=") || String(i.label).startsWith("ns=0;") || /^Server(\/|$)/.test(i.detail ?? "");
    const firstInternal = shown.findIndex(internal);
    assert.ok(firstInternal > 0, "the list opens on the plant's nodes");
    assert.deepEqual(
      shown
        .slice(firstInternal)
        .filter((i) => !internal(i))
        .map((i) => i.label),
      [],
      "every standard node comes after the plant's",
    );
    const own = shown.slice(0, firstInternal).map((i) => (i.detail ?? "").toLowerCase());
    assert.deepEqual(own, [...own].sort(), "by browse path: a folder, then what it holds");
    assert.equal(shown[0].label, "ns=2;s=Simulation", "the sim's folder opens the list, its tags follow it");
    assert.ok(own.includes("simulation/counter"), own.join(", "));
  });

  it("leaves dataType alone when the item has one, and answers from the cache at once", async () => {
    const { uri, position } = await openAt(pairWith(sims.primary.url, sims.secondary.url, '<item id="ns=2;s=C|" dataType="Double" trigger="badQuality"/>'));
    const list = await client.completion(uri, position);
    assert.equal(list.isIncomplete, false, "the namespace browsed by the previous test is cached");
    const counter = byLabel(list, "ns=2;s=Counter")!;
    assert.equal(counter.additionalTextEdits, undefined);
    assert.deepEqual(counter.textEdit && "range" in counter.textEdit ? counter.textEdit.range : undefined, { start: { line: 5, character: 16 }, end: { line: 5, character: 24 } });
  });

  it("shows a restarted server's new nodes after redundancymaster.refreshNamespace", async () => {
    let sim = await SimProcess.start({ port: 22670, identity: "before", extraNodes: ["Before"] });
    try {
      const { uri, position } = await openAt(pairWith(sim.url, closedPortUrl(22662), '<item id="|"/>'));
      assert.ok(byLabel((await completeUntil(uri, position, (l) => !l.isIncomplete)).list, "ns=2;s=Before"));
      await sim.close();
      sim = await SimProcess.start({ port: 22670, identity: "after", extraNodes: ["After"] });
      assert.ok(byLabel(await client.completion(uri, position), "ns=2;s=Before"), "the cached namespace answers until refreshed");
      await client.executeCommand("redundancymaster.refreshNamespace");
      const { list } = await completeUntil(uri, position, (l) => !l.isIncomplete);
      assert.ok(byLabel(list, "ns=2;s=After"));
      assert.equal(byLabel(list, "ns=2;s=Before"), undefined);
    } finally {
      await sim.close();
    }
  });

  it("falls back to the secondary when the primary refuses connections", async () => {
    const { uri, position } = await openAt(pairWith(closedPortUrl(22662), sims.secondary.url, '<item id="|"'));
    const { list } = await completeUntil(uri, position, (l) => !l.isIncomplete);
    assert.ok(byLabel(list, "ns=2;s=OnlyOnSecondary"), "browsed on the secondary");
    assert.equal(byLabel(list, "ns=2;s=OnlyOnPrimary"), undefined);
  });

  it("connects nowhere when the editor turned live browsing off (untrusted workspace)", async () => {
    const untrusted = await LspClient.start({ liveCheck: false, liveBrowse: false });
    try {
      const uri = "file:///untrusted/redundancymaster.xml";
      const text = pairWith(sims.primary.url, sims.secondary.url, '<item id="ns=2;s=Counter"/>');
      await untrusted.open(uri, text);
      const inValue = positionOf(text, "ns=2;s=Counter", 5);
      const list = await untrusted.completion(uri, inValue);
      assert.deepEqual([list.isIncomplete, list.items.map((i) => i.label)], [false, ["live item ids are off"]]);
      const hover = (await untrusted.hover(uri, inValue))!.contents as { value: string };
      assert.match(hover.value, /^\*\*id\*\* on `<item>`/, "the docs alone, no live facts");
    } finally {
      await untrusted.close();
    }
  });

  it("browses no server the engine's trust list refuses, and records nothing in it", async () => {
    const trustFolder = mkdtempSync(join(tmpdir(), "rm-lsp-trust-"));
    // The primary's URL pinned to the secondary's certificate: the primary now presents one that "changed".
    const secondaryCertificate = await presentedCertificate(sims.secondary.url);
    await new ServerTrust(trustFolder).check(sims.primary.url, secondaryCertificate, "firstUse", true);
    const guarded = await LspClient.start({ liveCheck: false, trustFolder });
    try {
      const uri = "file:///guarded/redundancymaster.xml";
      const text = pairWith(sims.primary.url, sims.secondary.url, '<item id=""/>');
      await guarded.open(uri, text);
      const inValue = positionOf(text, 'id=""', 4);
      const deadline = Date.now() + 20_000;
      let list = await guarded.completion(uri, inValue);
      while (list.isIncomplete && Date.now() < deadline) list = await guarded.completion(uri, inValue);
      assert.ok(byLabel(list, "ns=2;s=OnlyOnSecondary"), "the secondary, whose certificate is trusted, is browsed");
      assert.equal(byLabel(list, "ns=2;s=OnlyOnPrimary"), undefined, "the primary, whose certificate changed, is not");

      const explicit = text.replace("<monitoring", '<security trustPolicy="explicit"/>\n    <monitoring').replace(sims.secondary.url, closedPortUrl(22662));
      await guarded.change(uri, [{ text: explicit }]);
      const refused = await guarded.completion(uri, positionOf(explicit, 'id=""', 4));
      const why = refused.items[0]?.detail ?? "";
      assert.equal(refused.items[0]?.label, "servers unreachable", JSON.stringify(refused.items));
      assert.match(why, /differs from the one pinned at first use/);
      assert.deepEqual(readdirSync(join(trustFolder, "servers")).length, 1, "the editor pinned and filed nothing");
      assert.equal(existsSync(join(trustFolder, "rejected")) ? readdirSync(join(trustFolder, "rejected")).length : 0, 0);
    } finally {
      await guarded.close();
      rmSync(trustFolder, { recursive: true, force: true });
    }
  });

  it("answers at once and says why when neither side answers (refused port, hung endpoint)", async () => {
    const { uri, position } = await openAt(pairWith(closedPortUrl(22662), hung.url, '<item id="ns=2;|"/>'));
    const first = await client.completion(uri, position);
    assert.equal(first.isIncomplete, true);
    assert.deepEqual(
      first.items.map((i) => i.label),
      ["browsing…"],
      "the hung secondary is still being tried",
    );
    const { list } = await completeUntil(uri, position, (l) => l.items[0]?.label === "servers unreachable");
    assert.equal(list.items.length, 1);
    const why = list.items[0].detail ?? "";
    assert.match(why, /127\.0\.0\.1:22662/);
    assert.match(why, /127\.0\.0\.1:22663.*timed out/);
    assert.equal((list.items[0].textEdit as { newText: string }).newText, "ns=2;", "choosing the note changes nothing");
  });
});
