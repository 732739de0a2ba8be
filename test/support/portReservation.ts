import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const FOLDER = join(tmpdir(), "redundancymaster-test-ports");

/**
 * Claims a port for this test process across the parallel test files: a port whose sim a test
 * killed looks free to a probe, and another file's sim taking it would answer the first test's
 * reconnects. A claim is a file naming this process; a dead process's claims are taken over.
 */
export function reservePort(port: number): boolean {
  mkdirSync(FOLDER, { recursive: true });
  const file = join(FOLDER, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return true;
    } catch {
      if (isAlive(Number(readOrEmpty(file)))) return false;
      try {
        unlinkSync(file);
      } catch {
        // Another process took it over first; the next attempt finds its claim.
      }
    }
  }
  return false;
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
