// Loaded by test/bench/extension.bench.ts as extensionTestsPath in a folder with no config, so the
// extension is not active yet: times its activation (loading dist/client.js and activate()) in
// code-server's real extension host and prints it for the bench to read.
import * as vscode from "vscode";

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension("redundancymaster-oss.redundancymaster");
  if (!ext) throw new Error("the extension is not installed");
  if (ext.isActive) throw new Error("the extension was already active: the probe's folder must hold no config");
  const started = performance.now();
  await ext.activate();
  console.log(`activation_ms ${(performance.now() - started).toFixed(2)}`);
}
