import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe as suite, it } from "node:test";
import { validateXML } from "xmllint-wasm";
import { validateConfigText } from "../../engine/src/config/validate";
import { generateXsd } from "../../engine/src/config/xsd";
import { config } from "../support/expectDiagnostics";
import { generatedConfig } from "../support/generatedConfig";

const root = join(__dirname, "../..");
const XSD_FILE = join(root, "schemas/redundancymaster.xsd");
const fixtures = (kind: "valid" | "invalid") =>
  readdirSync(join(root, "test/fixtures", kind))
    .filter((f) => f.endsWith(".xml"))
    .map((f) => join("test/fixtures", kind, f));

/** Validates with libxml2's XML Schema validator (xmllint compiled to WebAssembly). */
async function xmllint(xml: string) {
  const result = await validateXML({ xml: [{ fileName: "config.xml", contents: xml }], schema: [{ fileName: "redundancymaster.xsd", contents: generateXsd() }] });
  return { valid: result.valid, errors: result.errors.map((e) => `${e.loc?.lineNumber ?? "?"}: ${e.message}`) };
}

suite("schemas/redundancymaster.xsd", () => {
  it("is the one format.ts generates (run `npm run xsd` after changing the format or the event catalog)", () => {
    assert.equal(readFileSync(XSD_FILE, "utf8"), generateXsd());
  });

  for (const file of fixtures("valid")) {
    it(`accepts ${file}, as validate does`, async () => {
      const xml = readFileSync(join(root, file), "utf8");
      assert.deepEqual(
        validateConfigText(xml).map((d) => d.code),
        [],
      );
      const result = await xmllint(xml);
      assert.deepEqual(result.errors, []);
      assert.equal(result.valid, true);
    });
  }

  it("accepts what validate accepts where XSD 1.0 cannot be as exact (order, whitespace, two SMTP servers)", async () => {
    const xml = config(
      '<monitoring failureCount="1"><item id="ns=2;s=A" trigger="badQuality"/></monitoring>\n<connection mode="hot"/>',
      '<notifications><event id="connected.primary"/><to>\n  a@b.c\n</to><smtp role="secondary" host="s"/><smtp role="primary" host="p"/><header>h</header></notifications>\n<diagnostics/>',
    );
    assert.deepEqual(validateConfigText(xml), []);
    assert.deepEqual((await xmllint(xml)).errors, []);
  });

  it("accepts a generated document of every mode and trigger", async () => {
    const xml = generatedConfig(3, 6);
    assert.deepEqual(validateConfigText(xml), []);
    assert.deepEqual((await xmllint(xml)).errors, []);
  });

  const rejected: Record<string, string> = {
    "test/fixtures/invalid/structure.xml": "logging",
    "test/fixtures/invalid/value-types.xml": "lukewarm",
    "test/fixtures/invalid/diagnostics-and-notifications.xml": "40000",
    "test/fixtures/invalid/monitoring.xml": "Device1.Tag2",
  };
  for (const [file, culprit] of Object.entries(rejected)) {
    it(`rejects ${file}`, async () => {
      const result = await xmllint(readFileSync(join(root, file), "utf8"));
      assert.equal(result.valid, false);
      assert.ok(
        result.errors.some((e) => e.includes(culprit)),
        result.errors.join("\n"),
      );
    });
  }

  it("rejects each kind of value the rules reject", async () => {
    const cases = [
      config("").replace('port="48401"', 'port="0"'),
      config("").replace("opc.tcp://a:4840", "http://a"),
      config('<connection alwaysReconnectToPrimary="1"/>'),
      config("", '<notifications from="bob"/>'),
      config("", "<notifications><to>not an address</to></notifications>"),
      config('<monitoring><item id="ns=2;x=1" trigger="badQuality"/></monitoring>'),
      config('<monitoring><item id="i=1"/></monitoring>'),
      config("").replace('name="S"', 'name=" "'),
      config("stray text"),
    ];
    for (const xml of cases) {
      assert.ok(
        validateConfigText(xml).some((d) => d.severity === "error"),
        xml,
      );
      assert.equal((await xmllint(xml)).valid, false, xml);
    }
  });
});
