import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe as suite, it } from "node:test";
import { LspClient } from "./lspClient";

// Fixtures whose endpoints are on this machine's closed ports or unroutable: live lookups fail fast or in the background.
const FIXTURES = ["valid/design-example.xml", "invalid/not-well-formed.xml", "invalid/structure.xml", "invalid/monitoring.xml"];

let client: LspClient;
before(async () => {
  client = await LspClient.start({ liveCheck: false });
});
after(() => client.close());

suite("every cursor position", () => {
  for (const name of FIXTURES) {
    it(`${name}: completion and hover answer everywhere, and the server stays up`, async () => {
      const text = readFileSync(join(__dirname, "../fixtures", name), "utf8");
      const uri = `file:///every/${name}`;
      await client.open(uri, text);
      const lines = text.split("\n");
      for (let line = 0; line < lines.length; line++) {
        for (let character = 0; character <= lines[line].length; character++) {
          const position = { line, character };
          const [list, hover] = await Promise.all([client.completion(uri, position), client.hover(uri, position)]);
          assert.ok(Array.isArray(list.items), `a completion list at ${line}:${character}`);
          assert.ok(hover === null || typeof hover.contents === "object");
        }
      }
      assert.ok((await client.symbols(uri)).length <= 1);
    });
  }
});
