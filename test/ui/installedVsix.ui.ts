// UI check in chromium of what users install: `npm run package`'s .vsix, installed into a fresh
// code-server (no extension under development), shows its view, and its packaged engine (with
// node-opcua from the .vsix's own node_modules) starts and lists the fixture's pair.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
// @ts-expect-error: a plain .mjs module shared with the runner
import { launchChromium, root, startCodeServer, workbenchUrl } from "../vscode/codeServer.mjs";
import { UiChecks } from "./uiChecks";
import { runCommand, sidebar } from "./workbench";

const CODE_SERVER_PORT = 23206;

async function main(): Promise<void> {
  const checks = new UiChecks("installed-vsix");
  const out = mkdtempSync(path.join(tmpdir(), "rm-vsix-"));
  const vsix = path.join(out, "redundancymaster.vsix");
  // the package script's own vsce options, writing elsewhere: `npm run package` also rebuilds, which the suite did
  execFileSync("npx", ["vsce", "package", "--allow-missing-repository", "--skip-license", "--no-rewrite-relative-links", "--out", vsix], { cwd: root, stdio: "pipe" });
  const cs = await startCodeServer({ port: CODE_SERVER_PORT, install: [vsix] });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(workbenchUrl(cs, { folder: path.join(root, "test/fixtures/workspace") }));
    await checks.run(page, "the installed .vsix shows the RedundancyMaster view", async () => {
      await page.locator('.activitybar [aria-label^="RedundancyMaster"]').first().click({ timeout: 60_000 });
      await page.locator(sidebar).getByText("The engine is not running.").waitFor({ timeout: 30_000 });
    });
    await checks.run(page, "the installed .vsix's engine starts and lists the pair", async () => {
      await runCommand(page, "RedundancyMaster: Start Engine");
      await page
        .locator(`${sidebar} .monaco-list-row`, { hasText: "Line4" })
        .getByText(/Disabled · warm/)
        .waitFor({ timeout: 60_000 });
    });
  } finally {
    await browser.close();
    await cs.stop();
    rmSync(out, { recursive: true, force: true });
  }
  process.exit(checks.summary());
}

void main();
