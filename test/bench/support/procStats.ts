import { readFileSync } from "node:fs";

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux only). */
export function cpuMs(pid: number): number {
  // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th, in clock ticks (100 a second).
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Resident memory of a process, in MB. */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : NaN;
}

/** One-minute load average: how busy the machine was while a figure was taken. */
export function loadAverage(): number {
  return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
}

/** A process's CPU use over a window, in % of one core. */
export async function cpuPercentOver(pid: number, windowMs: number): Promise<number> {
  const before = cpuMs(pid);
  const started = Date.now();
  await new Promise((r) => setTimeout(r, windowMs));
  return ((cpuMs(pid) - before) / (Date.now() - started)) * 100;
}

/**
 * A process's highest resident memory over a window, in MB, sampled every 200 ms. The engine's
 * RSS rises and falls by half a gigabyte at plant size as V8 lets garbage pile up between major
 * collections: one sample says more of when it was taken than of what the engine needs.
 */
export async function peakRssMbOver(pid: number, windowMs: number): Promise<number> {
  let peak = rssMb(pid);
  for (const until = Date.now() + windowMs; Date.now() < until;) {
    await new Promise((r) => setTimeout(r, 200));
    peak = Math.max(peak, rssMb(pid));
  }
  return peak;
}
