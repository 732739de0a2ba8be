import { readFileSync } from "node:fs";
import { userInfo } from "node:os";

/** Where an operator's action came from. */
export type Origin = "extension" | "command line";

/** Who did an operator's action, for audit events: the OS user and where from ("alice (extension)"). */
export function actor(origin: Origin, uid?: number): string {
  return `${userName(uid)} (${origin})`;
}

/** The OS user's name of a uid (this process's by default); the uid itself when the system does not say. */
export function userName(uid?: number): string {
  try {
    const own = userInfo();
    if (uid === undefined || uid === own.uid) return own.username;
  } catch {
    // no passwd entry for this process (some containers): looked up below, else the number
  }
  const wanted = uid ?? process.getuid?.();
  try {
    const line = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((l) => l.split(":")[2] === String(wanted));
    if (line) return line.split(":")[0];
  } catch {
    // not a system with /etc/passwd
  }
  return `uid ${wanted}`;
}
