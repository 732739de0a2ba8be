// The test command of README and CI: runs each suite as its own process, streams their output, and
// ends on one `N passed, N failed` line summing them all. Suites of one stage run in parallel; the
// stages run one after another, because the failover tests time real servers and a 2-core machine
// also running VS Code and chromium would make their status polls miss for no fault of the servers.
// `node test/run.mjs unit lsp` runs only the named suites.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;

/** Each suite: its stage, its test folder and how many of its files run at once, or its own command. */
const SUITES = [
  { name: "unit", stage: 1, dir: "test/unit", concurrency: 2, limitMinutes: 10 },
  { name: "lsp", stage: 1, dir: "test/lsp", concurrency: 2, limitMinutes: 10 },
  { name: "integration", stage: 2, dir: "test/integration", concurrency: 3, limitMinutes: 25 },
  { name: "vscode", stage: 3, command: ["node", "test/vscode/runVscodeTests.mjs"], limitMinutes: 20 },
];

/**
 * A test file that hangs fails after this long, rather than holding up the whole run. node's
 * runner applies it to each file as a whole: the longest, pair.flapping (20 restarts of a sim,
 * ~3 s each mostly loading node-opcua), takes ~185 s alone on 2 cores and ran past 6 minutes beside
 * two others on a loaded machine; a hang still ends here, and the suite's own limit bounds the rest.
 */
const TEST_TIMEOUT_MS = 600_000;
/**
 * The two files that run for minutes (alone: 4.8 and 3.2 min) start first, so that the suite does
 * not end on them alone; two only, so that a third process still takes the short files meanwhile.
 */
const LONG_FILES = ["reliability.memory.test.ts", "reliability.flapping.test.ts"];
const longFirst = (a, b) => Number(LONG_FILES.some((f) => b.endsWith(f))) - Number(LONG_FILES.some((f) => a.endsWith(f)));

function testFiles(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const entry of readdirSync(abs)) {
    const path = join(abs, entry);
    if (statSync(path).isDirectory()) out.push(...testFiles(join(dir, entry)));
    else if (/\.test\.(ts|mjs)$/.test(entry)) out.push(join(dir, entry));
  }
  return out.sort();
}

function runSuite(suite) {
  let command;
  if (suite.command) {
    if (!existsSync(join(root, suite.command[1]))) return Promise.resolve({ suite, passed: 0, failed: 0, skipped: true });
    command = suite.command;
  } else {
    const files = testFiles(suite.dir).sort(longFirst);
    if (files.length === 0) return Promise.resolve({ suite, passed: 0, failed: 0, skipped: true });
    command = ["node", "--import", "tsx", "--test", "--test-reporter=spec", `--test-concurrency=${suite.concurrency}`, `--test-timeout=${TEST_TIMEOUT_MS}`, ...files];
  }
  return new Promise((resolve) => {
    const started = Date.now();
    // Its own process group, so that a suite past its limit is ended with everything it started.
    const child = spawn(command[0], command.slice(1), { cwd: root, env: { ...process.env, FORCE_COLOR: "0" }, detached: true });
    let overran = false;
    const watchdog = setTimeout(() => {
      overran = true;
      process.stdout.write(`[${suite.name}] ✖ the suite ran past its ${suite.limitMinutes}-minute limit and was stopped\n`);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, suite.limitMinutes * 60_000);
    let tail = "";
    const relay = (chunk) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split("\n")) if (line) process.stdout.write(`[${suite.name}] ${line}\n`);
    };
    child.stdout.on("data", relay);
    child.stderr.on("data", relay);
    child.on("close", (code) => {
      clearTimeout(watchdog);
      const count = (re) => Number((tail.match(re) ?? [])[1] ?? 0);
      let passed = count(/ℹ pass (\d+)/);
      let failed = count(/ℹ fail (\d+)/);
      const plain = tail.match(/(\d+) passed, (\d+) failed/g);
      if (plain) [passed, failed] = plain[plain.length - 1].match(/\d+/g).map(Number);
      // A suite that dies before reporting counts as one failure, so a crash can never read as green.
      if ((code !== 0 || overran) && failed === 0) failed = 1;
      resolve({ suite, passed, failed, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const wanted = process.argv.slice(2);
const suites = SUITES.filter((s) => wanted.length === 0 || wanted.includes(s.name));
const results = [];
for (const stage of [...new Set(suites.map((s) => s.stage))].sort()) {
  results.push(...(await Promise.all(suites.filter((s) => s.stage === stage).map(runSuite))));
}
console.log("");
for (const r of results) {
  console.log(r.skipped ? `suite ${r.suite.name}: no tests` : `suite ${r.suite.name}: ${r.passed} passed, ${r.failed} failed in ${r.seconds.toFixed(1)} s`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
