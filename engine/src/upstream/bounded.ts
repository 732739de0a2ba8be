/**
 * Races a promise against a timer. A hung server (SIGSTOP) still accepts TCP and never answers,
 * so every request the engine or the editor sends upstream goes through here. The timer never
 * keeps the process alive on its own.
 */
export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
