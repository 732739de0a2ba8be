// Runs extension-host tests (extensionTestsPath) in code-server's Node extension host, with chromium
// as the window: what desktop VS Code would do for @vscode/test-electron. Exit code = the tests'.
// Usage: node runInCodeServer.mjs EXTENSION_DIR TESTS_MODULE [FOLDER]
import path from "node:path";
import util from "node:util";
import { enableSmokeTestDriver, launchChromium, startCodeServer, workbenchUrl } from "./codeServer.mjs";

const [extensionDevelopmentPath, extensionTestsPath, folder] = process.argv.slice(2).map((p) => p && path.resolve(p));
const port = Number(process.env.CODE_SERVER_PORT || 23200);
const timeoutMs = Number(process.env.TEST_TIMEOUT_MS || 300_000);
const verbose = !!process.env.VERBOSE;

const cs = await startCodeServer({ port, log: (l) => verbose && console.log(l) });
const browser = await launchChromium();
const page = await browser.newPage();
let exitCode = 1;
const done = new Promise((resolve) => {
  const timer = setTimeout(() => resolve("timeout"), timeoutMs);
  page.exposeFunction("codeAutomationExit", (code) => {
    exitCode = code;
    clearTimeout(timer);
    resolve("exit");
  });
});
await page.exposeFunction("codeAutomationLog", (_type, args) => console.log(util.format(...args)));
page.on("console", (m) => {
  if (verbose && m.type() === "error") console.log(`[browser] ${m.text().slice(0, 300)}`);
});
await enableSmokeTestDriver(page, cs.authority);
await page.goto(workbenchUrl(cs, { folder: folder ?? path.dirname(extensionTestsPath), extensionDevelopmentPath, extensionTestsPath }));
const how = await done;
if (how === "timeout") console.log(`extension tests did not finish within ${timeoutMs} ms`);
await browser.close();
await cs.stop();
process.exit(how === "exit" ? exitCode : 124);
