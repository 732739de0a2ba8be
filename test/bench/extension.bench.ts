import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { ensureEngineBuilt, REPO_ROOT } from "../support/engineCli";
import { summarize, type BenchOptions, type BenchResult } from "./benchResult";

const CODE_SERVER_PORT = "23209";
const probeOut = join(REPO_ROOT, ".vscode-test/out/bench/activationProbe.js");

/**
 * The extension's start-up cost in a real VS Code (code-server's extension host, driven by
 * chromium: test/vscode/runInCodeServer.mjs), one fresh window per sample, and the sizes of what
 * it ships. No baseline: a VS Code without the extension has nothing to compare with, so the
 * activation time is absolute (VS Code's own guidance: well under 100 ms for the main thread).
 */
export async function run({ quick }: BenchOptions): Promise<BenchResult[]> {
  await ensureEngineBuilt();
  const results: BenchResult[] = [];
  for (const bundle of ["client", "languageClient", "server", "engine"]) {
    const kb = statSync(join(REPO_ROOT, `dist/${bundle}.js`)).size / 1024;
    results.push(summarize(`extension.bundle.${bundle}_kb`, [kb], "KB", undefined, `dist/${bundle}.js, minified`));
  }
  const vsix = join(REPO_ROOT, "redundancymaster.vsix");
  if (existsSync(vsix)) results.push(summarize("extension.vsix_kb", [statSync(vsix).size / 1024], "KB", undefined, "from the last `npm run package`"));

  if (!existsSync(join(REPO_ROOT, ".vscode-test/code-server/node_modules/.bin/code-server"))) {
    console.error("extension.bench: no code-server (test/vscode/installCodeServer.sh): activation not measured");
    return results;
  }
  await esbuild.build({
    entryPoints: [join(REPO_ROOT, "test/vscode/activationProbe.ts")],
    outfile: probeOut,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: ["vscode"],
    logLevel: "warning",
  });
  const samples: number[] = [];
  for (let i = 0; i < (quick ? 1 : 5); i++) samples.push(await activationOnce());
  results.push(summarize("extension.activation_ms", samples, "ms", undefined, "ext.activate() in code-server's extension host, a fresh window each"));
  return results;
}

async function activationOnce(): Promise<number> {
  const folder = mkdtempSync(join(tmpdir(), "rm-bench-empty-"));
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn("node", [join(REPO_ROOT, "test/vscode/runInCodeServer.mjs"), REPO_ROOT, probeOut, folder], {
        env: { ...process.env, CODE_SERVER_PORT },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let text = "";
      child.stdout.on("data", (d) => (text += d));
      child.stderr.on("data", (d) => (text += d));
      child.on("close", (code) => (code === 0 ? resolve(text) : reject(new Error(`activation probe failed (${code}):\n${text.slice(-2000)}`))));
    });
    const ms = /activation_ms ([\d.]+)/.exec(output)?.[1];
    if (!ms) throw new Error(`no activation_ms in the probe's output:\n${output.slice(-2000)}`);
    return Number(ms);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
