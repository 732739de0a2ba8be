/**
 * Races a promise against a timer. A hung server (SIGSTOP) still accepts TCP and never answers,
 * so every request the engine sends upstream goes through here.
 */
export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
