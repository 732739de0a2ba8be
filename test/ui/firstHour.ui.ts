// UI checks in chromium of a new user's first hour (issue 15), each as the user meets it: a folder
// without a configuration and the add-server wizard; a configuration with errors at auto-start;
// a pair enabled from a terminal; the Enable picker; the Runtime Events panel's layout, and how a
// full panel takes new events in. Ends with `N passed, N failed`.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Frame, Page } from "playwright-core";
import { SimProcess } from "../../engine/src/sim/simProcess";
// @ts-expect-error: a plain .mjs module shared with the runner
import { enableSmokeTestDriver, launchChromium, root, startCodeServer, workbenchUrl } from "../vscode/codeServer.mjs";
import { UiChecks } from "./uiChecks";
import { eventsFrame, resizePanel, runCommand, sidebar } from "./workbench";

// Ports 23240–23249 and, never listened on, 45000–45199 (the disabled pairs' endpoints).
const CODE_SERVER_PORT = 23240;
const SIM_PORTS = [23242, 23243] as const;
const MAX_ROWS = 100;

const pair = (name: string, port: number, primary: number, secondary: number, mode = "warm") => `  <server name="${name}" port="${port}">
    <primary host="plc-a" url="opc.tcp://127.0.0.1:${primary}"/>
    <secondary host="plc-b" url="opc.tcp://127.0.0.1:${secondary}"/>
    <connection mode="${mode}" alwaysReconnectToPrimary="true" statusIntervalMs="1000" statusTimeoutMs="900"/>
  </server>
`;
/** PairA on the sims; PairB and PairC on ports nobody serves; `extra` disabled pairs named `${extra.prefix}01`…. */
const plantConfig = (mode: string, extra?: { prefix: string; count: number; firstPort: number }) => `<?xml version="1.0" encoding="UTF-8"?>
<redundancyMaster version="1">
${pair("PairA", 23245, SIM_PORTS[0], SIM_PORTS[1], mode)}${pair("PairB", 23246, 23248, 23249)}${pair("PairC", 23247, 23248, 23249)}${Array.from({ length: extra?.count ?? 0 }, (_, i) => pair(`${extra!.prefix}${String(i + 1).padStart(2, "0")}`, extra!.firstPort + i, 23248, 23249)).join("")}  <diagnostics maxEvents="1000" preserveOnShutdown="false"/>
</redundancyMaster>
`;

const statusBarItem = (page: Page) => page.locator("#workbench\\.parts\\.statusbar .statusbar-item", { hasText: "RedundancyMaster" }).first();
const pairRow = (page: Page, name: string) => page.locator(`${sidebar} .monaco-list-row`, { hasText: name }).first();

async function openRedundancyMaster(page: Page): Promise<void> {
  await page.locator('.activitybar [aria-label^="RedundancyMaster"]').first().click({ timeout: 60_000 });
}

/** The rows of the events table, with what a user sees of each. */
function tableRows(frame: Frame) {
  return frame.locator("#rows tr").evaluateAll((rows) =>
    rows.map((r) => ({
      seq: Number((r as HTMLElement).dataset.seq),
      probe: (r as HTMLElement).dataset.probe === "1",
      height: r.getBoundingClientRect().height,
      text: (r.querySelector("td.text") as HTMLElement).innerText,
    })),
  );
}

async function main(): Promise<void> {
  const checks = new UiChecks("first-hour");
  const dir = mkdtempSync(path.join(tmpdir(), "rm-first-hour-"));
  const empty = path.join(dir, "empty");
  const plant = path.join(dir, "plant");
  mkdirSync(empty);
  mkdirSync(plant);
  const plantFile = path.join(plant, "redundancymaster.xml");
  // One mistake a user makes: a mode the format does not have.
  writeFileSync(plantFile, plantConfig("lukewarm"));
  const sims = await Promise.all(SIM_PORTS.map((port, i) => SimProcess.start({ port, identity: i === 0 ? "plc-a" : "plc-b" })));
  const cs = await startCodeServer({ port: CODE_SERVER_PORT, settings: { "redundancymaster.events.maxRows": MAX_ROWS, "workbench.colorTheme": "Default Dark Modern" } });
  const browser = await launchChromium();
  try {
    const page: Page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await enableSmokeTestDriver(page, cs.authority);
    const open = async (folder: string) => {
      await page.goto(workbenchUrl(cs, { folder, extensionDevelopmentPath: root }));
      await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });
    };

    await checks.run(page, "a folder without a configuration: the wizard adds a pair as an unsaved file, machines named after the servers", async () => {
      await open(empty);
      await openRedundancyMaster(page);
      await page.locator(sidebar).getByText("No configuration yet").waitFor({ timeout: 60_000 });
      await page.locator(`${sidebar} .welcome-view-content`).getByRole("button", { name: "Add Redundant Server Configuration" }).click();
      for (const [step, sim, identity] of [
        [1, sims[0], "plc-a"],
        [2, sims[1], "plc-b"],
      ] as const) {
        const input = page.locator(".quick-input-widget .quick-input-box input");
        await page.locator(".quick-input-widget", { hasText: `(${step}/4)` }).waitFor({ timeout: 20_000 });
        await input.fill(sim.url);
        await page.keyboard.press("Enter");
        // the servers discovered at the URL, through the language server
        await page.locator(".quick-input-list .monaco-list-row", { hasText: identity }).first().waitFor({ timeout: 30_000 });
        await page.keyboard.press("Enter");
      }
      await page.locator(".quick-input-widget", { hasText: "(3/4)" }).waitFor({ timeout: 20_000 });
      await page.locator(".quick-input-widget .quick-input-box input").fill("Line7");
      await page.keyboard.press("Enter");
      await page.locator(".quick-input-widget", { hasText: "(4/4)" }).waitFor({ timeout: 20_000 });
      await page.locator(".quick-input-widget .quick-input-box input").fill("23244");
      await page.keyboard.press("Enter");
      const tab = page.locator(".tabs-container .tab", { hasText: "redundancymaster.xml" });
      await tab.waitFor({ timeout: 20_000 });
      await page.locator(".tabs-container .tab.dirty", { hasText: "redundancymaster.xml" }).waitFor({ timeout: 10_000 });
      const file = path.join(empty, "redundancymaster.xml");
      if (existsSync(file)) throw new Error("the wizard wrote the file before the user saved it");
      // The tab turns dirty before the editor has rendered its lines: wait for them, then read them.
      const lines = page.locator(".editor-instance .view-lines");
      await lines.getByText("redundancyMaster").first().waitFor({ timeout: 10_000 });
      const shown = await lines.innerText();
      for (const expected of ['<server name="Line7" port="23244">', 'host="plc-a"', 'host="plc-b"']) {
        if (!shown.replace(/\u00a0/g, " ").includes(expected)) throw new Error(`the editor shows no ${expected}:\n${shown}`);
      }
      await page.keyboard.press("Control+S");
      await page.locator(".tabs-container .tab.dirty", { hasText: "redundancymaster.xml" }).waitFor({ state: "detached", timeout: 20_000 });
      const saved = readFileSync(file, "utf8");
      if (!saved.includes('<primary host="plc-a" url="opc.tcp://127.0.0.1:23242"/>')) throw new Error(`saved:\n${saved}`);
    });

    await checks.run(page, "a configuration with errors: auto-start names them with Show Problems, and the engine starts on the next save without them", async () => {
      await open(plant);
      const toast = page.locator(".notification-toast", { hasText: "the engine did not start" });
      await toast.waitFor({ timeout: 60_000 });
      const said = await toast.innerText();
      if (!/redundancymaster\.xml has 1 error \(line 6: RM003/.test(said)) throw new Error(`the notification reads: ${said}`);
      await toast.getByRole("button", { name: "Show Problems" }).click();
      // the file opens at the error, and the Problems view lists it
      await page.locator("#workbench\\.parts\\.panel .markers-panel", { hasText: "RM003" }).first().waitFor({ timeout: 20_000 });
      await page.locator(".tabs-container .tab.active", { hasText: "redundancymaster.xml" }).waitFor({ timeout: 10_000 });
      await openRedundancyMaster(page);
      await page.locator(sidebar).getByText("The configuration has errors, so the engine did not start").waitFor({ timeout: 20_000 });
      await statusBarItem(page)
        .getByText(/configuration has errors/)
        .waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(root, "test-artifacts/ui-config-errors.png") });
      console.log("screenshot: test-artifacts/ui-config-errors.png");
      // The user fixes the value in the editor and saves.
      await page.locator(".editor-instance .view-lines").click();
      const find = await quickInputFind(page);
      await find.fill("lukewarm");
      await page.keyboard.press("Escape");
      await page.keyboard.type("warm");
      await page.keyboard.press("Control+S");
      await pairRow(page, "PairA")
        .getByText(/Disabled/)
        .waitFor({ timeout: 60_000 });
      await pairRow(page, "PairC").waitFor({ timeout: 10_000 });
      if (await page.locator(".notification-toast", { hasText: "the engine did not start" }).isVisible()) await page.keyboard.press("Escape");
    });

    await checks.run(page, "a pair enabled from a terminal is enabled in the tree; Enable Redundancy offers only the disabled pairs", async () => {
      await promisify(execFile)(process.execPath, [path.join(root, "dist/engine.js"), "enable", plantFile, "PairA"], { env: cs.env });
      await pairRow(page, "PairA")
        .getByText(/Paired and Available · warm/)
        .waitFor({ timeout: 60_000 });
      await runCommand(page, "RedundancyMaster: Enable Redundancy");
      const rows = page.locator(".quick-input-list .monaco-list-row");
      await rows.first().waitFor({ timeout: 20_000 });
      const offered = await rows.locator(".label-name").allInnerTexts();
      await page.keyboard.press("Escape");
      if (JSON.stringify(offered) !== JSON.stringify(["PairB", "PairC"])) throw new Error(`the picker offers ${JSON.stringify(offered)}`);
    });

    await checks.run(page, "the events panel: one line per event, the Event column takes the width; a full panel takes new events in and old ones out", async () => {
      await runCommand(page, "RedundancyMaster: Open Event Log");
      const frame = await eventsFrame(page);
      await resizePanel(page, 430);
      // a reload that adds 60 disabled pairs posts 61 events at once (a burst)
      writeFileSync(plantFile, plantConfig("warm", { prefix: "Extra", count: 60, firstPort: 45000 }));
      await frame.locator("#rows tr", { hasText: "'Extra60' is not enabled" }).waitFor({ timeout: 30_000 });
      await frame
        .locator("#rows tr")
        .first()
        .evaluate(() => document.querySelectorAll("#rows tr").forEach((r) => ((r as HTMLElement).dataset.probe = "1")));
      const before = await tableRows(frame);
      const lastBefore = Math.max(...before.map((r) => r.seq));
      // 61 more: the panel is full and drops its oldest
      writeFileSync(plantFile, plantConfig("warm", { prefix: "Other", count: 60, firstPort: 45100 }));
      await frame.locator("#rows tr", { hasText: "'Other60' is not enabled" }).waitFor({ timeout: 30_000 });
      await page.waitForTimeout(500);
      const after = await tableRows(frame);
      const count = await frame.locator("#count").innerText();
      if (after.length !== MAX_ROWS || count !== `${MAX_ROWS} of ${MAX_ROWS} events`) throw new Error(`${after.length} rows, count '${count}' (maxRows ${MAX_ROWS})`);
      const rebuilt = after.filter((r) => r.seq <= lastBefore && !r.probe);
      if (rebuilt.length) throw new Error(`${rebuilt.length} rows that were shown already were drawn again (seq ${rebuilt.map((r) => r.seq).join(", ")})`);
      if (!after.some((r) => r.probe) || after.some((r) => r.seq > lastBefore && r.probe)) throw new Error("old rows kept, new rows added");
      const lineHeight = Math.min(...after.map((r) => r.height));
      const tall = after.filter((r) => r.height > lineHeight * 1.5);
      if (tall.length) throw new Error(`rows of more than one line: ${tall.map((r) => `${r.height}px '${r.text}'`).join("; ")}`);
      const widths = await frame.locator("thead th").evaluateAll((ths) => ths.map((th) => [th.textContent, th.getBoundingClientRect().width] as const));
      // the other columns as wide as their content, the Event column all the rest
      const event = widths.find(([name]) => name === "Event")![1];
      const widest = Math.max(...widths.filter(([name]) => name !== "Event").map(([, w]) => w));
      const table = widths.reduce((sum, [, w]) => sum + w, 0);
      if (event < 2 * widest || event < 0.4 * table) throw new Error(`the Event column is ${event}px of ${table}px: ${JSON.stringify(widths)}`);
      await frame.locator("#newestFirst").check();
      const top = (await tableRows(frame))[0];
      if (top.seq !== Math.max(...after.map((r) => r.seq))) throw new Error(`newest first shows seq ${top.seq} at the top`);
      await frame.locator("#newestFirst").uncheck();
    });
  } finally {
    await browser.close();
    await cs.stop();
    await Promise.all(sims.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(checks.summary());
}

/** The editor's find widget, focused (Ctrl+F); Escape leaves the match selected for typing over. */
async function quickInputFind(page: Page) {
  await page.keyboard.press("Control+F");
  const input = page.locator(".editor-widget.find-widget textarea, .editor-widget.find-widget input").first();
  await input.waitFor({ timeout: 10_000 });
  return input;
}

void main();
