import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { test } from "../harness";
import { EXTENSION_ID, extensionApi } from "./extensionApi";

test("the extension activates on a workspace with redundancymaster.xml, its commands registered", async () => {
  const api = await extensionApi();
  assert.equal(vscode.extensions.getExtension(EXTENSION_ID)!.isActive, true);
  assert.equal(api.engine.state, "stopped", "the fixture workspace turns auto-start off");
  const commands = await vscode.commands.getCommands(true);
  for (const id of [
    "startEngine",
    "stopEngine",
    "restartEngine",
    "addServer",
    "aliasServer",
    "unaliasServer",
    "removeServer",
    "enablePair",
    "disablePair",
    "testConnection",
    "forceFailover",
    "trustServerCertificate",
    "sendTestEmail",
    "setSmtpPassword",
    "showEngineLog",
    "openEventLog",
  ]) {
    assert.ok(commands.includes(`redundancymaster.${id}`), `command redundancymaster.${id} is registered`);
  }
});
