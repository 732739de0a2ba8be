import * as assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import * as vscode from "vscode";
import { test } from "../harness";
import { EXTENSION_ID, extensionApi } from "./extensionApi";

// Runs last, after the engine tests drove the engine through the client.
test("the client never loads node-opcua (it lives in the engine and language server bundles)", async () => {
  await extensionApi();
  for (const bundle of ["dist/client.js", "dist/languageClient.js"]) {
    assert.doesNotMatch(await readFile(path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, bundle), "utf8"), /node-opcua/, bundle);
  }
  assert.deepEqual(
    Object.keys(require.cache).filter((m) => m.includes("node-opcua")),
    [],
    "no node-opcua module in the extension host",
  );
});
