import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe as suite, it } from "node:test";
import { applyEdits, LspClient } from "./lspClient";

let client: LspClient;
before(async () => {
  client = await LspClient.start({ liveCheck: false });
});
after(() => client.close());

let documents = 0;
async function format(text: string, options = { tabSize: 2, insertSpaces: true }) {
  const uri = `file:///format/${++documents}/redundancymaster.xml`;
  await client.open(uri, text);
  return applyEdits(text, await client.format(uri, options));
}

const MESSY = `<redundancyMaster version="1">
<server port="48401" name="Plant">
        <primary url="opc.tcp://a:4840"/>
  <secondary url="opc.tcp://b:4840"/>
 <connection statusTimeoutMs="500" mode="hot"
   statusIntervalMs="1000"/>
      <monitoring failureCount="1">
<!-- heartbeat
     keeps its own layout -->
<item trigger="badQuality" id="i=2258"/>
    </monitoring>
        </server>
  <notifications enabled="false">
<to>bob@home.net</to>
  </notifications>
</redundancyMaster>
`;

const TIDY = `<redundancyMaster version="1">
  <server port="48401" name="Plant">
    <primary url="opc.tcp://a:4840"/>
    <secondary url="opc.tcp://b:4840"/>
    <connection statusTimeoutMs="500" mode="hot"
                statusIntervalMs="1000"/>
    <monitoring failureCount="1">
      <!-- heartbeat
     keeps its own layout -->
      <item trigger="badQuality" id="i=2258"/>
    </monitoring>
  </server>
  <notifications enabled="false">
    <to>bob@home.net</to>
  </notifications>
</redundancyMaster>
`;

suite("formatting", () => {
  it("re-indents by nesting and keeps the user's attribute order, values and comments", async () => {
    assert.equal(await format(MESSY), TIDY);
  });

  it("changes nothing in a tidy document", async () => {
    const uri = "file:///format/tidy/redundancymaster.xml";
    await client.open(uri, TIDY);
    assert.deepEqual(await client.format(uri), []);
  });

  it("leaves the design example as it is written", async () => {
    const uri = "file:///format/design/redundancymaster.xml";
    await client.open(uri, readFileSync(join(__dirname, "../fixtures/valid/design-example.xml"), "utf8"));
    assert.deepEqual(await client.format(uri), []);
  });

  it("indents with tabs when asked", async () => {
    const formatted = await format(MESSY, { tabSize: 4, insertSpaces: false });
    assert.ok(formatted.includes("\n\t<server port"));
    assert.ok(formatted.includes("\n\t\t\t<item trigger"));
  });

  it("leaves a multi-line attribute value as it is", async () => {
    const text = '<redundancyMaster version="1">\n<notifications subject="two\n   lines"/>\n</redundancyMaster>\n';
    assert.equal(await format(text), '<redundancyMaster version="1">\n  <notifications subject="two\n   lines"/>\n</redundancyMaster>\n');
  });
});
