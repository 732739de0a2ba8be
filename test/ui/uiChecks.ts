import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
// @ts-expect-error: a plain .mjs module shared with the runner
import { root } from "../vscode/codeServer.mjs";

/** The checks of one UI file: each prints ✔ or ✘, `summary()` the closing `N passed, N failed`. */
export class UiChecks {
  private passed = 0;
  private failed = 0;

  /** `name` prefixes the failure screenshots: test-artifacts/ui-NAME-failed-N.png. */
  constructor(private readonly name: string) {}

  /** Runs one check; a failed one leaves a screenshot of what the user would have seen. */
  async run(page: Page, name: string, body: () => Promise<void>): Promise<void> {
    const started = Date.now();
    try {
      await body();
      this.passed++;
      console.log(`✔ ${name} (${Date.now() - started} ms)`);
    } catch (err) {
      this.failed++;
      const shot = path.join(root, `test-artifacts/ui-${this.name}-failed-${this.passed + this.failed}.png`);
      mkdirSync(path.dirname(shot), { recursive: true });
      await page.screenshot({ path: shot }).catch(() => undefined);
      console.log(`✘ ${name} (${Date.now() - started} ms), screenshot ${path.relative(root, shot)}\n    ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Prints the closing line; the exit code for the process. */
  summary(): number {
    console.log(`${this.passed} passed, ${this.failed} failed`);
    return this.failed > 0 ? 1 : 0;
  }
}
