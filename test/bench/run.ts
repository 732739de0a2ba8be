// `npm run bench [-- [--quick] [NAME…]]`: runs every test/bench/*.bench.ts (or those whose file name
// contains a NAME) one after another, prints a table and writes bench-results.json at the repository root.
import { writeFileSync, readdirSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { basename, join } from "node:path";
import type { BenchModule, BenchResult } from "./benchResult";

const root = join(__dirname, "../..");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const unknown = args.filter((a) => a.startsWith("--") && a !== "--quick");
if (unknown.length) {
  console.error(`bench: unknown option ${unknown.join(" ")}\nusage: npm run bench -- [--quick] [NAME…]`);
  process.exit(2);
}
const wanted = args.filter((a) => !a.startsWith("--"));

const modules = readdirSync(__dirname)
  .filter((f) => f.endsWith(".bench.ts"))
  .sort()
  .filter((f) => wanted.length === 0 || wanted.some((w) => basename(f, ".bench.ts").includes(w)));

async function main(): Promise<number> {
  if (modules.length === 0) {
    console.error(`bench: no test/bench/*.bench.ts matches ${wanted.join(", ")}`);
    return 2;
  }
  const results: BenchResult[] = [];
  let failed = 0;
  for (const file of modules) {
    const started = Date.now();
    process.stdout.write(`${basename(file, ".bench.ts")}${quick ? " (quick)" : ""} … `);
    try {
      const mod = (await import(join(__dirname, file))) as BenchModule;
      const got = await mod.run({ quick });
      results.push(...got);
      console.log(`${got.length} results in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (err) {
      failed++;
      console.log("failed");
      console.error(err instanceof Error ? err.stack : err);
    }
  }
  console.log(`\n${table(results)}`);
  const machine = {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? "unknown",
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    totalMemGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    date: new Date().toISOString(),
  };
  const out = join(root, "bench-results.json");
  writeFileSync(out, JSON.stringify({ machine, results }, null, 2) + "\n");
  console.log(`\nwrote ${out}`);
  return failed ? 1 : 0;
}

function table(results: BenchResult[]): string {
  const fmt = (n: number | undefined) => (n === undefined ? "" : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
  const rows = [["name", "median", "max", "unit", "baseline", "ratio"], ...results.map((r) => [r.name, fmt(r.median), fmt(r.max), r.unit, fmt(r.baseline), fmt(r.ratio)])];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 || c === 3 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  return [line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

// The run ends once the results are written: benchmark modules use libraries whose handles can
// outlive them (esbuild's build service, node-opcua's sockets), which would keep the process open.
main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
