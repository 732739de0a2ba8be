import { access } from "node:fs/promises";

/** Whether the file is there (and this process may see it). */
export function fileExists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
