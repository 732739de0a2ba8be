import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe as suite, it } from "node:test";
import type { Hover, MarkupContent } from "vscode-languageserver-protocol";
import { LspClient, positionOf } from "./lspClient";

const URI = "file:///hover/redundancymaster.xml";
const TEXT = readFileSync(join(__dirname, "../fixtures/valid/design-example.xml"), "utf8");

let client: LspClient;
before(async () => {
  client = await LspClient.start({ liveCheck: false });
  await client.open(URI, TEXT);
});
after(() => client.close());

async function hoverAt(marker: string, delta: number): Promise<{ hover: Hover; markdown: string }> {
  const hover = await client.hover(URI, positionOf(TEXT, marker, delta));
  assert.ok(hover, `a hover at ${marker}+${delta}`);
  return { hover, markdown: (hover.contents as MarkupContent).value };
}

suite("hover", () => {
  it("on an element name: its doc, attributes and children", async () => {
    const { hover, markdown } = await hoverAt("<server name", 3);
    assert.match(markdown, /^\*\*<server>\*\* — A redundant pair: a primary and a secondary OPC UA server/);
    assert.match(markdown, /Children: `<primary>`, `<secondary>`/);
    assert.deepEqual(hover.range, { start: { line: 2, character: 3 }, end: { line: 2, character: 9 } });
  });

  it("on an attribute name: its doc, type and default", async () => {
    const { markdown } = await hoverAt("statusIntervalMs=", 2);
    assert.match(markdown, /How often each connected server's status is queried/);
    assert.match(markdown, /Type: integer 100 … 3600000 · default `1000`/);
  });

  it("on an enum value: what that value means (the seed's connection modes)", async () => {
    const { markdown } = await hoverAt('mode="warm"', 7);
    assert.match(markdown, /^\*\*warm\*\* — Warm: both machines connected, items subscribed on the active machine only/);
    assert.match(markdown, /Connection mode: cold, warm or hot/);
  });

  it("on an event id: the event's meaning and severity", async () => {
    const { markdown } = await hoverAt('"promoted.secondary"', 3);
    assert.match(markdown, /^\*\*promoted\.secondary\*\* — .+\((information|warning|error)\)/);
  });

  it("on a recipient's text: the element's doc", async () => {
    const { markdown } = await hoverAt("bob@home.net", 2);
    assert.match(markdown, /\*\*<to>\*\* — A recipient/);
  });

  it("nothing between elements", async () => {
    assert.equal(await client.hover(URI, { line: 1, character: 40 }), null);
  });
});
