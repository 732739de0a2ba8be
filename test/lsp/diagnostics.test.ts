import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe as suite, it } from "node:test";
import { DiagnosticSeverity } from "vscode-languageserver-protocol";
import { describeDiagnostic, LspClient } from "./lspClient";

/** Every fixture's diagnostics over LSP, `CODE@line:char-endChar` (0-based): the same findings `validate` prints. */
const EXPECTED: Record<string, string[]> = {
  "valid/design-example.xml": [],
  "valid/hot-mode.xml": [],
  "valid/minimal.xml": [],
  "valid/shared-name-aliases.xml": [],
  "invalid/billion-laughs.xml": ["RM001@1:0-1", "RM001@14:16-22", "RM001@19:12-18"],
  "invalid/diagnostics-and-notifications.xml": ["RM040@2:26-31", "RM050@3:26-30", "RM051@3:38-49", "RM051@6:8-14"],
  "invalid/monitoring.xml": ["RM022@6:30-31", "RM020@7:80-84", "RM021@8:47-60", "RM023@9:58-76", "RM060@10:16-28", "RM060@11:16-24"],
  "invalid/names-and-ports.xml": ["RM010@2:28-40", "RM011@10:30-35", "RM012@10:43-48", "RM013@14:17-22"],
  "invalid/not-well-formed.xml": ["RM001@4:5-14", "RM001@4:19-20", "RM001@6:3-14"],
  "invalid/structure.xml": ["RM002@2:3-9", "RM002@2:3-9", "RM002@4:28-37", "RM002@5:5-9", "RM002@7:3-10", "RM002@8:32-45", "RM002@9:3-14"],
  "invalid/value-types.xml": [
    "RM003@2:10-17",
    "RM003@2:24-29",
    "RM003@3:18-35",
    "RM003@5:22-30",
    "RM003@5:58-61",
    "RM003@6:34-38",
    "RM003@8:34-38",
    "RM003@8:54-55",
    "RM003@8:93-101",
    "RM003@11:26-31",
    "RM003@12:16-24",
    "RM003@12:46-49",
    "RM003@13:15-32",
  ],
  "invalid/warnings-only.xml": ["RM070@4:20-45", "RM030@5:28-59", "RM031@6:57-61"],
};

const fixture = (name: string) => readFileSync(join(__dirname, "../fixtures", name), "utf8");

let client: LspClient;
before(async () => {
  client = await LspClient.start({ liveCheck: false });
});
after(() => client.close());

suite("diagnostics over LSP", () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: ${expected.length ? expected.join(" ") : "none"}`, async () => {
      const diagnostics = await client.open(`file:///fixtures/${name}`, fixture(name));
      assert.deepEqual(diagnostics.map(describeDiagnostic), expected, diagnostics.map((d) => `${describeDiagnostic(d)} ${d.message}`).join("\n"));
    });
  }

  it("carries source, severity, and a link to the code's README section", async () => {
    const [rm040] = await client.open("file:///fixtures/links.xml", fixture("invalid/diagnostics-and-notifications.xml"));
    assert.equal(rm040.code, "RM040");
    assert.equal(rm040.source, "redundancymaster");
    assert.equal(rm040.severity, DiagnosticSeverity.Error);
    assert.equal(rm040.codeDescription?.href, "https://github.com/redundancymaster/redundancymaster-vscode#rm040");
    assert.match(typeof rm040.message === "string" ? rm040.message : rm040.message.value, /maxEvents must be between 1000 and 30000/);
    const warnings = await client.open("file:///fixtures/warnings.xml", fixture("invalid/warnings-only.xml"));
    assert.ok(warnings.every((d) => d.severity === DiagnosticSeverity.Warning));
  });

  it("re-validates after typing, and reports a half-typed element without inventing missing parts", async () => {
    const uri = "file:///typing/redundancymaster.xml";
    const text = fixture("valid/minimal.xml");
    assert.deepEqual(await client.open(uri, text), []);
    const closing = text.indexOf("</redundancyMaster>");
    const line = text.slice(0, closing).split("\n").length - 1;
    const half = await client.change(uri, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '  <diagnostics maxEvents="5"\n' }]);
    const codes = half.map(describeDiagnostic);
    assert.ok(codes.includes(`RM040@${line}:26-27`), codes.join(" "));
    assert.deepEqual(
      half.filter((d) => d.code !== "RM001" && d.code !== "RM040"),
      [],
      "a half-typed element gets no structure findings",
    );
    const done = await client.change(uri, [{ range: { start: { line, character: 28 }, end: { line, character: 28 } }, text: "/>" }]);
    assert.deepEqual(done.map(describeDiagnostic), [`RM040@${line}:26-27`]);
  });

  it("clears a closed document's diagnostics", async () => {
    const uri = "file:///closing/redundancymaster.xml";
    assert.equal((await client.open(uri, fixture("invalid/names-and-ports.xml"))).length, 4);
    await client.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
    assert.deepEqual(await client.waitForDiagnostics(uri, (d) => d.length === 0), []);
  });
});
