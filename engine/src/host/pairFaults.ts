// How the host restarts a pair that failed unexpectedly, and how it tells the error (pair/faultOwner.ts says whose it was).

/** How long a pair that failed waits before it is started again: 1 s after its first fault in a row, doubling up to a minute. */
export function restartDelayMs(faultsInARow: number): number {
  return Math.min(1000 * 2 ** Math.max(faultsInARow - 1, 0), 60_000);
}

/** A pair that ran this long since its last start counts as healthy again: its next fault waits 1 s. */
export const FAULT_MEMORY_MS = 10 * 60_000;

/** An error for an event: its message and where it was thrown (the first frame), never more of the stack. */
export function faultText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const frame = error.stack
    ?.split("\n")
    .find((line) => /^\s+at /.test(line))
    ?.trim();
  return `${error.name === "Error" ? "" : `${error.name}: `}${error.message}${frame ? ` (${frame})` : ""}`;
}
