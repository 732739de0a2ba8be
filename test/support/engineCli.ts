import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

export const REPO_ROOT = join(__dirname, "../..");
export const ENGINE_BUNDLE = join(REPO_ROOT, "dist/engine.js");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Builds the bundles when dist/engine.js is missing (a single test file run without `npm test`). */
export async function ensureEngineBuilt(): Promise<void> {
  if (!existsSync(ENGINE_BUNDLE)) await promisify(execFile)(process.execPath, [join(REPO_ROOT, "esbuild.mjs")], { cwd: REPO_ROOT });
}

/**
 * A copy of the engine's bundle in a new folder under `parent`, as a user installs it (for a
 * service: where this repository lies, a CI clone in /tmp, must decide nothing); remove it with
 * `removeEngineCopy`.
 */
export function engineCopyIn(parent: string): string {
  const bundle = join(mkdtempSync(join(parent, ".rm-engine-")), "engine.js");
  copyFileSync(ENGINE_BUNDLE, bundle);
  return bundle;
}

export function removeEngineCopy(bundle: string): void {
  rmSync(dirname(bundle), { recursive: true, force: true });
}

/**
 * Runs `node dist/engine.js ARGS…` (or another copy of the bundle) from the repository root, the
 * way a user runs the CLI, with `env` added to the environment; fails the test if it does not exit
 * by itself within timeoutMs.
 */
export async function runEngineCli(args: readonly string[], timeoutMs = 30_000, env: NodeJS.ProcessEnv = {}, bundle = ENGINE_BUNDLE): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bundle, ...args], {
      cwd: REPO_ROOT,
      timeout: timeoutMs,
      maxBuffer: 64 * 2 ** 20,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; signal?: string; stdout: string; stderr: string };
    assert.equal(typeof e.code, "number", `the CLI did not exit by itself (${String(e.code ?? e.signal)}): ${e.stderr}`);
    return { code: e.code as number, stdout: e.stdout, stderr: e.stderr };
  }
}
