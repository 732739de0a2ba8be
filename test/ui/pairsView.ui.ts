// UI check in chromium: a user opens the fixture workspace, starts the engine from the command
// palette, enables the pair from its context menu, sees it "Paired and Available" in the Server
// Pairs view, opens the Runtime Events panel and sees the events, and sees a failover happen.
// Saves test-artifacts/ui-pairs-and-events.png. Ends with `N passed, N failed`.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Frame, Page } from "playwright-core";
import { SimProcess } from "../../engine/src/sim/simProcess";
// @ts-expect-error: a plain .mjs module shared with the runner
import { enableSmokeTestDriver, launchChromium, root, startCodeServer, workbenchUrl } from "../vscode/codeServer.mjs";

const CODE_SERVER_PORT = 43205;
const screenshot = path.join(root, "test-artifacts/ui-pairs-and-events.png");
const sidebar = "#workbench\\.parts\\.sidebar";
let passed = 0;
let failed = 0;

/** Runs one check; a failed one leaves a screenshot of what the user would have seen. */
async function check(page: Page, name: string, body: () => Promise<void>): Promise<void> {
  const started = Date.now();
  try {
    await body();
    passed++;
    console.log(`✔ ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    failed++;
    const shot = path.join(root, `test-artifacts/ui-failed-${passed + failed}.png`);
    mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot }).catch(() => undefined);
    console.log(`✘ ${name} (${Date.now() - started} ms), screenshot ${path.relative(root, shot)}\n    ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Opens the quick input with `key`; again if a busy workbench swallowed the key press. */
async function quickInput(page: Page, key: string) {
  const input = page.locator(".quick-input-widget .quick-input-box input");
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press(key);
    try {
      await input.waitFor({ timeout: 5_000 });
      return input;
    } catch (err) {
      if (attempt === 4) throw err;
    }
  }
}

async function runCommand(page: Page, title: string): Promise<void> {
  const input = await quickInput(page, "F1");
  await input.fill(`>${title}`);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press("Enter");
}

/** Drags the sidebar's edge, so that the pairs' descriptions show in full. */
async function widenSidebar(page: Page, width: number): Promise<void> {
  const box = (await page.locator(sidebar).boundingBox())!;
  await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + width, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Drags the panel's top edge to `top`, so that the timeline and a dozen events show. */
async function resizePanel(page: Page, top: number): Promise<void> {
  const box = (await page.locator("#workbench\\.parts\\.panel").boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y - 1);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, top, { steps: 5 });
  await page.mouse.up();
}

async function openFile(page: Page, name: string): Promise<void> {
  const input = await quickInput(page, "Control+P");
  await input.fill(name);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: name }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press("Enter");
  await page.locator(".tabs-container .tab", { hasText: name }).waitFor({ timeout: 20_000 });
}

/** The Runtime Events webview's inner frame (VS Code nests the content in a second iframe). */
async function eventsFrame(page: Page): Promise<Frame> {
  for (let i = 0; i < 150; i++) {
    for (const frame of page.frames()) {
      if (await frame.locator("#rows").count().catch(() => 0)) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error("the Runtime Events webview did not appear");
}

async function main(): Promise<void> {
  const [primary, secondary] = await Promise.all([SimProcess.start({ port: 43201, identity: "primary" }), SimProcess.start({ port: 43202, identity: "secondary" })]);
  const cs = await startCodeServer({ port: CODE_SERVER_PORT, settings: { "workbench.colorTheme": "Default Dark Modern" } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await enableSmokeTestDriver(page, cs.authority);
    await page.goto(workbenchUrl(cs, { folder: path.join(root, "test/fixtures/workspace"), extensionDevelopmentPath: root }));
    await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });

    await check(page, "the RedundancyMaster view shows the pair after Start Engine and Enable Redundancy", async () => {
      await page.locator('.activitybar [aria-label^="RedundancyMaster"]').first().click({ timeout: 60_000 });
      await widenSidebar(page, 520);
      await page.locator(sidebar).getByText("The engine is not running.").waitFor({ timeout: 30_000 });
      await runCommand(page, "RedundancyMaster: Start Engine");
      const pair = page.locator(`${sidebar} .monaco-list-row`, { hasText: "Line4" }).first();
      await pair.waitFor({ timeout: 60_000 });
      await pair.getByText(/Disabled/).waitFor({ timeout: 10_000 });
      await pair.click({ button: "right" });
      const enable = page.getByRole("menuitem", { name: "Enable Redundancy" });
      await enable.waitFor({ timeout: 10_000 });
      // VS Code ignores a click that lands while its context menu is still opening
      await page.waitForTimeout(500);
      await enable.click();
      await pair.getByText(/Paired and Available · warm · active: primary/).waitFor({ timeout: 60_000 });
      await page.locator(`${sidebar} .monaco-list-row`, { hasText: "Primary" }).getByText(/Running · active/).waitFor({ timeout: 10_000 });
    });

    await check(page, "the Runtime Events panel lists the engine's events", async () => {
      await openFile(page, "redundancymaster.xml");
      await runCommand(page, "RedundancyMaster: Open Event Log");
      const frame = await eventsFrame(page);
      await resizePanel(page, 430);
      await frame.locator("#rows tr", { hasText: "Promoted active connection" }).first().waitFor({ timeout: 30_000 });
      const count = await frame.locator("#count").innerText();
      if (!/^\d+ of \d+ events$/.test(count)) throw new Error(`count reads '${count}'`);
    });

    await check(page, "killing the primary shows the secondary active, in the tree and in the timeline", async () => {
      await primary.kill();
      await page.locator(`${sidebar} .monaco-list-row`, { hasText: "Line4" }).getByText(/active: secondary/).waitFor({ timeout: 60_000 });
      const frame = await eventsFrame(page);
      await frame.locator("#rows tr", { hasText: /Promoted .* to secondary/ }).first().waitFor({ timeout: 30_000 });
      await frame.locator("#timeline rect.span.secondary").first().waitFor({ timeout: 20_000 });
      await page.keyboard.press("Escape");
      // a few seconds of the secondary's span on the timeline, for the screenshot
      await page.waitForTimeout(4_000);
      mkdirSync(path.dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot });
      console.log(`screenshot: ${path.relative(root, screenshot)}`);
    });
  } finally {
    await browser.close();
    await cs.stop();
    await Promise.all([primary.kill(), secondary.kill()]);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

void main();
