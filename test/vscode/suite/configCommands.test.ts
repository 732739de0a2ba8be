import * as assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import * as vscode from "vscode";
import { test } from "../harness";
import { workspaceFile } from "./extensionApi";

// The config commands edit the open document (never the file on disk): each test ends by reverting it.
async function configDocument(): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(workspaceFile("redundancymaster.xml"));
}

async function revert(document: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand("workbench.action.files.revert");
  assert.equal(document.isDirty, false);
}

test("Alias and Unalias edit the config as unsaved changes", async () => {
  const document = await configDocument();
  const original = document.getText();
  try {
    await vscode.commands.executeCommand("redundancymaster.aliasServer", "Line4", "Line4.Alias1");
    assert.match(document.getText(), /<server name="Line4" alias="Line4.Alias1" port="23203">/);
    assert.equal(document.isDirty, true, "configuration is modified: VS Code's dirty state");
    await vscode.commands.executeCommand("redundancymaster.unaliasServer", "Line4.Alias1");
    assert.equal(document.getText(), original);
  } finally {
    await revert(document);
  }
});

test("Unalias is refused while another pair goes by the original name", async () => {
  const document = await configDocument();
  try {
    await vscode.commands.executeCommand("redundancymaster.aliasServer", "Line4", "Line4.Alias1");
    await vscode.commands.executeCommand("redundancymaster.addServer", { name: "Line4", primaryUrl: "opc.tcp://127.0.0.1:23211", secondaryUrl: "opc.tcp://127.0.0.1:23212", port: 23213 });
    const both = document.getText();
    assert.match(both, /<server name="Line4" port="23213">/);
    await vscode.commands.executeCommand("redundancymaster.unaliasServer", "Line4.Alias1");
    assert.equal(document.getText(), both, "the alias stays: 'Line4' is taken by the new pair");
  } finally {
    await revert(document);
  }
});

test("Add Redundant Server Configuration leaves its edit unsaved, machines named after the servers", async () => {
  const document = await configDocument();
  const original = document.getText();
  try {
    // both on one host: the servers' own names tell the sides apart in every event
    await vscode.commands.executeCommand("redundancymaster.addServer", {
      name: "Line7",
      primaryUrl: "opc.tcp://127.0.0.1:23211",
      secondaryUrl: "opc.tcp://127.0.0.1:23212",
      port: 23213,
      primaryName: "plc-a",
      secondaryName: "plc-b",
    });
    assert.match(
      document.getText(),
      /<server name="Line7" port="23213">\n {4}<primary host="plc-a" url="opc.tcp:\/\/127.0.0.1:23211"\/>\n {4}<secondary host="plc-b" url="opc.tcp:\/\/127.0.0.1:23212"\/>/,
    );
    assert.equal(document.isDirty, true, "the file shows as modified: the user saves it (and the engine applies it) when ready");
    // on two hosts: the hosts
    await vscode.commands.executeCommand("redundancymaster.addServer", { name: "Line8", primaryUrl: "opc.tcp://plc-a.plant:4840", secondaryUrl: "opc.tcp://plc-b.plant:4840", port: 23214 });
    assert.match(document.getText(), /<primary host="plc-a.plant" url="opc.tcp:\/\/plc-a.plant:4840"\/>\n {4}<secondary host="plc-b.plant"/);
    assert.equal(document.isDirty, true);
  } finally {
    // a wizard that saved would have changed the fixture on disk: put it back before anything else
    if ((await readFile(document.uri.fsPath, "utf8")) !== original) await writeFile(document.uri.fsPath, original);
    await revert(document);
  }
});

test("Remove deletes the pair's <server> element and its lines", async () => {
  const document = await configDocument();
  try {
    await vscode.commands.executeCommand("redundancymaster.removeServer", "Line4", true);
    const text = document.getText();
    assert.doesNotMatch(text, /<server|<\/server>|<primary|<monitoring/);
    assert.match(text, /<redundancyMaster version="1">\n  <diagnostics /, "no blank line left behind");
  } finally {
    await revert(document);
  }
});
