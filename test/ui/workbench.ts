import type { Frame, Page } from "playwright-core";

/** Page helpers for the workbench in chromium: what a user does with keyboard and mouse. */
export const sidebar = "#workbench\\.parts\\.sidebar";

/** Opens the quick input with `key`; again if a busy workbench swallowed the key press. */
export async function quickInput(page: Page, key: string) {
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

export async function runCommand(page: Page, title: string): Promise<void> {
  const input = await quickInput(page, "F1");
  await input.fill(`>${title}`);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press("Enter");
}

/** Drags the sidebar's edge, so that the pairs' descriptions show in full. */
export async function widenSidebar(page: Page, width: number): Promise<void> {
  const box = (await page.locator(sidebar).boundingBox())!;
  await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + width, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Drags the panel's top edge to `top`, so that the timeline and a dozen events show. */
export async function resizePanel(page: Page, top: number): Promise<void> {
  const box = (await page.locator("#workbench\\.parts\\.panel").boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y - 1);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, top, { steps: 5 });
  await page.mouse.up();
}

export async function openFile(page: Page, name: string): Promise<void> {
  const input = await quickInput(page, "Control+P");
  await input.fill(name);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: name }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press("Enter");
  await page.locator(".tabs-container .tab", { hasText: name }).waitFor({ timeout: 20_000 });
}

/** The Runtime Events webview's inner frame (VS Code nests the content in a second iframe). */
export async function eventsFrame(page: Page): Promise<Frame> {
  for (let i = 0; i < 150; i++) {
    for (const frame of page.frames()) {
      if (
        await frame
          .locator("#rows")
          .count()
          .catch(() => 0)
      )
        return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error("the Runtime Events webview did not appear");
}
