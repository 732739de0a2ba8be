// UI checks in chromium of an untrusted workspace (Restricted Mode): what reads only the file keeps
// working (diagnostics, hover, completion from the format), the engine and the live lookups stay
// off, and the views say so. Ends with `N passed, N failed`.
import path from "node:path";
import type { Page } from "playwright-core";
// @ts-expect-error: a plain .mjs module shared with the runner
import { enableSmokeTestDriver, launchChromium, root, startCodeServer, workbenchUrl } from "../vscode/codeServer.mjs";
import { UiChecks } from "./uiChecks";
import { quickInput, runCommand, sidebar } from "./workbench";

const CODE_SERVER_PORT = 23241;

async function main(): Promise<void> {
  const checks = new UiChecks("restricted-mode");
  const cs = await startCodeServer({
    port: CODE_SERVER_PORT,
    trust: true,
    // no trust prompt: the folder opens untrusted, in Restricted Mode, as after "Don't Trust"
    settings: { "security.workspace.trust.startupPrompt": "never", "security.workspace.trust.untrustedFiles": "open" },
  });
  const browser = await launchChromium();
  try {
    const page: Page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await enableSmokeTestDriver(page, cs.authority);
    // the fixture's auto-start is off; here it would be refused anyway
    await page.goto(workbenchUrl(cs, { folder: path.join(root, "test/fixtures/workspace"), extensionDevelopmentPath: root }));
    await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });

    await checks.run(page, "the Server Pairs view says what Restricted Mode turns off, and what still works", async () => {
      await page.locator('.activitybar [aria-label^="RedundancyMaster"]').first().click({ timeout: 60_000 });
      await page
        .locator(sidebar)
        .getByText(/Restricted Mode: this workspace is not trusted, so the engine does not run/)
        .waitFor({ timeout: 60_000 });
      await page.locator(`${sidebar} .welcome-view-content`).getByRole("button", { name: "Manage Workspace Trust" }).waitFor({ timeout: 10_000 });
    });

    await checks.run(page, "diagnostics and hover work in an untrusted workspace", async () => {
      const input = await quickInput(page, "Control+P");
      await input.fill("broken/redundancymaster.xml");
      await page.locator(".quick-input-list .monaco-list-row", { hasText: "broken" }).first().waitFor({ timeout: 20_000 });
      await page.keyboard.press("Enter");
      await page.locator(".tabs-container .tab", { hasText: "redundancymaster.xml" }).waitFor({ timeout: 20_000 });
      await runCommand(page, "Problems: Focus on Problems View");
      await page.locator("#workbench\\.parts\\.panel .markers-panel", { hasText: "RM003" }).first().waitFor({ timeout: 60_000 });
      // hover on the attribute name (no diagnostic there): the format's documentation, from the language server
      await page
        .locator(".editor-instance .view-lines .view-line", { hasText: "lukewarm" })
        .locator("span > span", { hasText: /^mode$/ })
        .first()
        .hover();
      await page.locator(".monaco-hover", { hasText: "Connection mode: cold, warm or hot" }).first().waitFor({ timeout: 20_000 });
    });

    await checks.run(page, "Start Engine is refused with the reason", async () => {
      await page.keyboard.press("Escape");
      await runCommand(page, "RedundancyMaster: Start Engine");
      await page.locator(".notification-toast", { hasText: "Restricted Mode: the engine does not run in an untrusted workspace" }).waitFor({ timeout: 20_000 });
      await page.locator("#workbench\\.parts\\.statusbar .statusbar-item", { hasText: "RedundancyMaster: stopped" }).waitFor({ timeout: 10_000 });
    });
  } finally {
    await browser.close();
    await cs.stop();
  }
  process.exit(checks.summary());
}

void main();
