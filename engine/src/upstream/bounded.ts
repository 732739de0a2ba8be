import { listeningTimeout } from "./listeningClock";

/**
 * Races a promise against a timer. A hung server (SIGSTOP) still accepts TCP and never answers,
 * so every request the engine or the editor sends upstream goes through here. The time counted is
 * the time the engine could have heard the answer (listeningClock.ts): a stall of the engine's
 * own event loop is not charged to the server. The timer never keeps the process alive on its own.
 */
export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let cancel = () => {};
  const timeout = new Promise<never>((_, fail) => {
    cancel = listeningTimeout(ms, () => fail(new Error(`${what} timed out after ${ms} ms`)));
  });
  return Promise.race([promise, timeout]).finally(() => cancel());
}
