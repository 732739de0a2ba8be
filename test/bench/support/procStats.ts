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
