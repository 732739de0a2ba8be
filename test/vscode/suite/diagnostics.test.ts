import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { eventually, test } from "../harness";
import { workspaceFile } from "./extensionApi";

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === "object" ? String(d.code.value) : String(d.code));

test("the language server's diagnostics appear for an invalid config", async () => {
  const uri = workspaceFile("broken/redundancymaster.xml");
  await vscode.window.showTextDocument(uri);
  const diagnostics = await eventually("RM003 and RM020 on broken/redundancymaster.xml", () => {
    const found = vscode.languages.getDiagnostics(uri);
    const codes = found.map(codeOf);
    return codes.includes("RM003") && codes.includes("RM020") && found;
  });
  const rm003 = diagnostics.find((d) => codeOf(d) === "RM003")!;
  assert.equal(rm003.severity, vscode.DiagnosticSeverity.Error);
  // the value of mode="lukewarm" on line 7 (0-based 6)
  assert.equal(rm003.range.start.line, 6);
  assert.match(rm003.message, /cold, warm, hot/);
  assert.equal(diagnostics.find((d) => codeOf(d) === "RM020")!.severity, vscode.DiagnosticSeverity.Warning);
  assert.deepEqual(
    vscode.languages.getDiagnostics(workspaceFile("redundancymaster.xml")).filter((d) => d.severity === vscode.DiagnosticSeverity.Error),
    [],
    "the valid config has no errors",
  );
});

test('completion offers the connection modes in mode="…"', async () => {
  const uri = workspaceFile("broken/redundancymaster.xml");
  const document = await vscode.workspace.openTextDocument(uri);
  const line = document.lineAt(6).text;
  const position = new vscode.Position(6, line.indexOf('mode="') + 'mode="'.length);
  const labels = await eventually("completion items for mode", async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>("vscode.executeCompletionItemProvider", uri, position);
    const found = list.items.map((i) => (typeof i.label === "string" ? i.label : i.label.label));
    return found.includes("warm") && found;
  });
  for (const mode of ["cold", "warm", "hot"]) assert.ok(labels.includes(mode), `completion offers ${mode} (got ${labels.join(", ")})`);
});
