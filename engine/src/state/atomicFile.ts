import { randomBytes } from "node:crypto";
import { open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Replaces `file` with `text` so that a crash or a full disk leaves either the old or the new
 * content, never a torn file: write a temp file beside it, fsync it, rename it over the old one,
 * fsync the folder so the rename itself survives a power cut. Throws the system error (ENOSPC,
 * EACCES, ENOTDIR…) and removes the temp file when a step fails. `mode` is the new file's
 * permissions (private by default: state files are nobody else's business). The temp name is
 * new for each write, so two writes of one file at once (two pairs pinning, a verb beside the
 * engine) never share a temp file: each renames a whole file of its own, the last one wins.
 */
export async function writeFileAtomic(file: string, text: string, mode = 0o600): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const handle = await open(temp, "w", mode);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await syncFolder(dirname(file));
}

async function syncFolder(folder: string): Promise<void> {
  // Some file systems refuse to fsync a directory (EISDIR/EINVAL); the rename is done by then.
  const handle = await open(folder, "r").catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}
