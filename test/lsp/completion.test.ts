import assert from "node:assert/strict";
import { after, before, describe as suite, it } from "node:test";
import type { CompletionItem } from "vscode-languageserver-protocol";
import { DATA_TYPES } from "../../engine/src/config/format";
import { EVENT_IDS } from "../../engine/src/events/catalog";
import { applyEdits, LspClient, positionOf } from "./lspClient";

let client: LspClient;
before(async () => {
  client = await LspClient.start({ liveCheck: false });
});
after(() => client.close());

let documents = 0;
/** Opens `text` with the cursor at `|` (removed) and returns the completion labels there. */
async function completeAt(textWithCursor: string, triggerCharacter?: string): Promise<{ labels: string[]; items: CompletionItem[]; text: string }> {
  const text = textWithCursor.replace("|", "");
  const uri = `file:///completion/${++documents}/redundancymaster.xml`;
  await client.open(uri, text);
  const list = await client.completion(uri, positionOf(textWithCursor, "|"), triggerCharacter);
  return { labels: list?.items.map((i) => i.label) ?? [], items: list?.items ?? [], text };
}

const HEAD = '<redundancyMaster version="1">\n  <server name="A" port="48401">\n';

suite("completion in broken, half-typed documents", () => {
  it("offers the children of <server> after a bare '<', nothing after it", async () => {
    const { labels } = await completeAt(`${HEAD}    <|`);
    assert.deepEqual(labels, ["primary", "secondary", "connection", "security", "monitoring"]);
  });

  it("leaves out a child that may occur once and is already there", async () => {
    const { labels } = await completeAt(`${HEAD}    <primary url="opc.tcp://a:4840"/>\n    <|\n  </server>\n</redundancyMaster>`);
    assert.deepEqual(labels, ["secondary", "connection", "security", "monitoring"]);
  });

  it("completes a partly typed element name and replaces the whole name", async () => {
    const { items, text } = await completeAt(`${HEAD}    <mon|itoring\n`);
    const monitoring = items.find((i) => i.label === "monitoring")!;
    assert.ok(monitoring.textEdit && "range" in monitoring.textEdit);
    assert.equal(applyEdits(text, [monitoring.textEdit]), `${HEAD}    <monitoring>$0</monitoring>\n`);
  });

  it("offers the whole-pair snippet and the top-level elements between pairs", async () => {
    const { labels, items } = await completeAt('<redundancyMaster version="1">\n  |\n  <diagnostics maxEvents="5000"/>\n');
    assert.deepEqual(labels, ["server", "diagnostics", "notifications", "metrics", "server pair"]);
    const pair = items.find((i) => i.label === "server pair")!;
    const inserted = (pair.textEdit as { newText: string }).newText;
    for (const part of ["<server name=", "<primary url=", "<secondary url=", '<connection mode="${6|warm,hot,cold|}"', "<monitoring", "<item id="]) {
      assert.ok(inserted.includes(part), `the pair snippet has ${part}`);
    }
  });

  it("offers the monitor item snippet inside <monitoring>", async () => {
    const { labels } = await completeAt(`${HEAD}    <monitoring failureCount="1">\n      |`);
    assert.deepEqual(labels, ["item", "item (monitor item)"]);
  });

  it("offers the attributes not yet present in an unterminated start tag, required first", async () => {
    const { items } = await completeAt(`${HEAD}    <monitoring>\n      <item id="ns=2;s=Tag" |\n`);
    const asShown = [...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((i) => i.label);
    assert.deepEqual(asShown, ["trigger", "dataType", "triggerData", "updateRateMs"]);
  });

  it("counts attributes after the cursor as present too", async () => {
    const { labels } = await completeAt(`${HEAD}    <connection | mode="warm" statusIntervalMs="1000"/>\n`);
    assert.deepEqual(labels, ["alwaysReconnectToPrimary", "statusTimeoutMs", "failbackHoldDownMs"]);
  });

  it("offers the connection modes with their docs, replacing the whole value", async () => {
    const { items, text } = await completeAt(`${HEAD}    <connection mode="w|arm" alwaysReconnectToPrimary="true"\n`);
    assert.deepEqual(
      items.map((i) => i.label),
      ["cold", "warm", "hot"],
    );
    const hot = items.find((i) => i.label === "hot")!;
    assert.match(String(hot.documentation), /both machines connected and subscribed/);
    assert.equal(items.find((i) => i.label === "warm")!.detail, "default");
    assert.ok(applyEdits(text, [hot.textEdit as never]).includes('<connection mode="hot" alwaysReconnectToPrimary'));
  });

  it("offers triggers, data types, booleans and event ids as values", async () => {
    const trigger = await completeAt(`${HEAD}    <monitoring>\n      <item id="i=2258" trigger="|`);
    assert.deepEqual(trigger.labels, ["badQuality", "specificValue", "noDataChange"]);
    const dataType = await completeAt(`${HEAD}    <monitoring>\n      <item id="i=2258" dataType="|" trigger="badQuality"/>`);
    assert.deepEqual(dataType.labels, [...DATA_TYPES]);
    const bool = await completeAt(`${HEAD}    <connection alwaysReconnectToPrimary="|"/>`);
    assert.deepEqual(bool.labels, ["true", "false"]);
    const events = await completeAt('<redundancyMaster version="1">\n  <notifications>\n    <event id="|"/>\n');
    assert.deepEqual(events.labels, [...EVENT_IDS]);
    assert.ok(events.items.find((i) => i.label === "promoted.secondary")?.documentation, "event ids carry their docs");
  });

  it("offers nothing inside a comment or an end tag", async () => {
    assert.deepEqual((await completeAt(`${HEAD}    <!-- <| -->\n`)).labels, []);
    assert.deepEqual((await completeAt(`${HEAD}  </ser|`)).labels, []);
  });

  it("opens by itself only where the typed character starts something", async () => {
    assert.deepEqual((await completeAt(`${HEAD}    <|`, "<")).labels.length, 5, "'<' opens element names");
    assert.deepEqual((await completeAt(`${HEAD}    <connection |`, " ")).labels.length, 5, "a space in a start tag opens attribute names");
    assert.deepEqual((await completeAt(`${HEAD}     |`, " ")).labels, [], "a space in indentation opens nothing");
    assert.deepEqual((await completeAt('<redundancyMaster version="1">\n  <notifications>\n    <header>Plant 4.|', ".")).labels, [], "a dot in text opens nothing");
    assert.deepEqual((await completeAt(`${HEAD}    <connection mode="|`, '"')).labels, ["cold", "warm", "hot"], "a quote opens values");
  });

  it("offers the root element in an empty document", async () => {
    assert.deepEqual((await completeAt("|")).labels, ["redundancyMaster"]);
  });
});
