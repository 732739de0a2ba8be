import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe as suite, it } from "node:test";
import type { DocumentSymbol } from "vscode-languageserver-protocol";
import { LspClient } from "./lspClient";

const TEXT = readFileSync(join(__dirname, "../fixtures/valid/design-example.xml"), "utf8");

let client: LspClient;
before(async () => {
  client = await LspClient.start({ liveCheck: false });
});
after(() => client.close());

const outline = (symbols: DocumentSymbol[], depth = 0): string[] =>
  symbols.flatMap((s) => [`${"  ".repeat(depth)}${s.name}${s.detail ? ` (${s.detail})` : ""}`, ...outline(s.children ?? [], depth + 1)]);

suite("outline and folding", () => {
  it("lists the pairs with their endpoints and monitor items", async () => {
    const uri = "file:///outline/redundancymaster.xml";
    await client.open(uri, TEXT);
    const symbols = await client.symbols(uri);
    assert.deepEqual(outline(symbols).slice(0, 9), [
      "redundancyMaster",
      "  KEPware.KEPServerEx.V6.Alias1 (port 48401 · opc.tcp://localhost:49320 ⇄ opc.tcp://192.168.111.67:49320)",
      "    primary (opc.tcp://localhost:49320)",
      "    secondary (opc.tcp://192.168.111.67:49320)",
      "    connection",
      "    monitoring",
      "      i=2258 (noDataChange)",
      "      ns=2;s=Channel_1.Device_1._System._Error (specificValue)",
      "      ns=2;s=Channel_1.Device_1.Tag_1 (badQuality)",
    ]);
    const server = symbols[0].children![0];
    assert.deepEqual(server.range, { start: { line: 2, character: 2 }, end: { line: 14, character: 11 } });
    assert.deepEqual(server.selectionRange, { start: { line: 2, character: 3 }, end: { line: 2, character: 9 } });
  });

  it("folds elements that span lines, and multi-line start tags", async () => {
    const uri = "file:///folding/redundancymaster.xml";
    await client.open(uri, TEXT);
    const ranges = (await client.foldingRanges(uri)).map((r) => `${r.startLine}-${r.endLine}`);
    assert.deepEqual(ranges, ["1-25", "2-13", "5-6", "7-12", "8-9", "10-11", "16-24"]);
  });

  it("still outlines a half-typed document", async () => {
    const uri = "file:///outline/broken.xml";
    await client.open(uri, '<redundancyMaster version="1">\n  <server name="A" port="1">\n    <monitoring>\n      <item id="i=2258" trig');
    assert.deepEqual(outline(await client.symbols(uri)), ["redundancyMaster", "  A (port 1)", "    monitoring", "      item"]);
  });
});
