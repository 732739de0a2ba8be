import { watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";

/**
 * Calls `onChange` once a burst of changes to `file` has settled for `debounceMs`. Watches the
 * file's folder, not the file: editors save by writing a new file and renaming it over the old
 * one, which ends a watch on the old inode. A folder that cannot be watched is reported once by
 * the returned `error` and leaves the engine running without live reload.
 */
export function watchFile(file: string, debounceMs: number, onChange: () => void): { close(): void; error?: string } {
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_type, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
    });
  } catch (err) {
    return { close() {}, error: (err as Error).message };
  }
  watcher.on("error", () => watcher.close());
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
