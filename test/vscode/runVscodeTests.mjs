// The `vscode` suite: the extension's tests in a real VS Code (code-server + chromium, see
// codeServer.mjs). First the extension-host tests (suite/, through @vscode/test-electron's runTests
// with code-server standing in for the VS Code executable), then the chromium UI checks (test/ui/).
// Ends with one `N passed, N failed` line summing both.
import { runTests } from "@vscode/test-electron";
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import * as esbuild from "esbuild";
import { root } from "./codeServer.mjs";

const workspace = path.join(root, "test/fixtures/workspace");
// Three folders deep, so that SimProcess (bundled in) finds dist/engine.js at ../../../dist as from its sources.
const outDir = path.join(root, ".vscode-test/out/vscode");
const summary = /(\d+) passed, (\d+) failed/;

// Idempotent: on a fresh machine it installs chromium and code-server, afterwards it returns at once.
if ((await run(["bash", "test/vscode/prepareVscodeTests.sh"])).code !== 0) {
  console.log("the VS Code tests could not be prepared (test/vscode/prepareVscodeTests.sh)\n0 passed, 1 failed");
  process.exit(1);
}
if (!existsSync(path.join(root, "dist/client.js"))) await run(["node", "esbuild.mjs"]);
await esbuild.build({
  entryPoints: [path.join(root, "test/vscode/suite/index.ts")],
  outfile: path.join(outDir, "index.js"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "inline",
  external: ["vscode", "node-opcua"],
  logLevel: "warning",
});

const totals = { passed: 0, failed: 0 };
const add = (text, fallbackFailed) => {
  const all = text.match(new RegExp(summary, "g"));
  if (!all) return void (totals.failed += fallbackFailed ? 1 : 0);
  const [p, f] = all[all.length - 1].match(/\d+/g).map(Number);
  totals.passed += p;
  totals.failed += f;
};

// runTests relays the stand-in's stdout to ours; keep a copy to read the summary line.
let extOutput = "";
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  extOutput = (extOutput + chunk).slice(-20_000);
  return write(chunk, ...rest);
};
let extExit = 0;
try {
  await runTests({
    vscodeExecutablePath: path.join(root, "test/vscode/code-server-as-code.sh"),
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(outDir, "index.js"),
    launchArgs: [workspace],
  });
} catch (err) {
  extExit = 1;
  console.log(`extension-host tests: ${err.message ?? err}`);
} finally {
  process.stdout.write = write;
}
add(extOutput, extExit !== 0);

const uiDir = path.join(root, "test/ui");
const uiChecks = existsSync(uiDir)
  ? readdirSync(uiDir)
      .filter((f) => f.endsWith(".ui.ts"))
      .sort()
  : [];
for (const file of uiChecks) {
  const { code, output } = await run(["node", "--import", "tsx", path.join(uiDir, file)]);
  add(output, code !== 0);
}

console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exitCode = totals.failed > 0 || totals.passed === 0 ? 1 : 0;

function run(command) {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const relay = (d) => {
      output = (output + d).slice(-20_000);
      process.stdout.write(d);
    };
    child.stdout.on("data", relay);
    child.stderr.on("data", relay);
    child.on("close", (code) => resolve({ code, output }));
  });
}
