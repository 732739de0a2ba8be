import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { test } from "../harness";

export const EXTENSION_ID = "redundancymaster-oss.redundancymaster";

test("the extension activates on a workspace with redundancymaster.xml", async () => {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  await ext.activate();
  assert.equal(ext.isActive, true);
});
