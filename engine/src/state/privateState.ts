import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { StatePaths } from "./stateDir";

/**
 * What in the state folder steers the engine: whoever may write the enabled-pairs file starts and
 * stops pairs, and whoever may write a trusted/ folder decides which servers get the pairs'
 * credentials and which clients get in. So these must be the engine user's alone.
 */
export function steeringPaths(paths: StatePaths): string[] {
  const trustLists = ["upstream", "endpoint"].flatMap((kind) => {
    const root = join(paths.pki, kind);
    return [root, join(root, "trusted"), join(root, "trusted", "certs"), join(root, "own"), join(root, "own", "private")];
  });
  return [paths.dir, paths.enabled, join(paths.dir, "events"), paths.pki, ...trustLists];
}

/**
 * Refuses a state folder that others may change: any of the paths (those that exist) writable by
 * group or other, or owned by neither this user nor root. Throws with the command that fixes it.
 */
export async function refuseSharedState(paths: readonly string[]): Promise<void> {
  const uid = process.getuid?.();
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) continue;
    if (uid !== undefined && info.uid !== uid && info.uid !== 0) {
      throw new Error(`${path} belongs to uid ${info.uid}, not to this user (uid ${uid}) or root: another user could change what the engine trusts; use a state folder of your own (--state-dir)`);
    }
    if (info.mode & 0o022) {
      const mode = (info.mode & 0o777).toString(8).padStart(3, "0");
      throw new Error(
        `${path} can be written by ${info.mode & 0o020 ? "its group" : "other users"} (mode ${mode}): they could change which pairs run and which servers and clients are trusted; make it private with 'chmod go-w ${path}'`,
      );
    }
  }
}
