/**
 * The extension-host test harness: `test(name, fn)` registers, `runTests()` runs them in order and
 * ends with the `N passed, N failed` line the project's test runner reads. Tiny on purpose: mocha is
 * not a dependency, and the extension host only needs ordered async tests with a summary.
 */
interface TestCase {
  name: string;
  fn: () => Promise<void> | void;
  timeoutMs: number;
}

const cases: TestCase[] = [];

export function test(name: string, fn: TestCase["fn"], timeoutMs = 60_000): void {
  cases.push({ name, fn, timeoutMs });
}

export async function runTests(): Promise<void> {
  let passed = 0;
  let failed = 0;
  for (const c of cases) {
    const started = Date.now();
    try {
      await withTimeout(Promise.resolve().then(c.fn), c.timeoutMs);
      passed++;
      console.log(`✔ ${c.name} (${Date.now() - started} ms)`);
    } catch (err) {
      failed++;
      console.log(`✘ ${c.name} (${Date.now() - started} ms)\n    ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} extension test(s) failed`);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls until `probe` returns a value (not undefined/false), or fails with what it last saw. */
export async function eventually<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
