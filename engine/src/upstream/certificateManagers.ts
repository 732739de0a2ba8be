import fs from "node:fs";
import type { OPCUACertificateManager } from "node-opcua";

/** The longest one manager's initialize() holds the others up. */
const TURN_MS = 30_000;

let queue: Promise<void> = Promise.resolve();

/**
 * Initializes a node-opcua certificate manager alone: never while another one initializes.
 *
 * node-opcua-pki (7.0) replaces the process's `fs.watch` while a manager starts its five folder
 * watchers (to unref their handles and give them an error listener), and puts back the `fs.watch`
 * it found once they are ready. Two managers starting at once interleave: the second finds the
 * first's replacement and, ready last, puts that back for good. From then on every `fs.watch` of
 * the process went through a growing chain of replacements, each adding an error listener to the
 * handle and keeping it in an array for ever (heap snapshots after 4 cycles of 10 pairs added and
 * removed beside a connected pair: 592 more watchers kept, 43,000 more listeners, +1.4 MB a cycle).
 *
 * So each manager's initialize() runs alone and the real `fs.watch` is put back as soon as it
 * returns: every replacement then wraps the real one, and whichever is put back last is the real
 * one too. The watchers' handles made after that (chokidar makes most of them once initialize()
 * has returned) are plain ones: chokidar asks for non-persistent watchers, which Node unrefs
 * itself. Waiting for the watchers to be ready instead held every other manager up for seconds on
 * a loaded machine. node-opcua's own later initialize() calls (the client's connect, the server's
 * start) find the manager initialized and do nothing.
 */
export function initializeCertificateManager(manager: OPCUACertificateManager): Promise<void> {
  const turn = queue.then(() => {
    const watch = fs.watch;
    const initialized = manager.initialize();
    // One that hangs (a store's file lock) holds the others up TURN_MS at most. Not less: a manager
    // still starting when fs.watch is put back may replace it after that, and then be wrapped again.
    let timer: NodeJS.Timeout | undefined;
    const done = Promise.race([initialized.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, TURN_MS)))]).finally(() => {
      clearTimeout(timer);
      fs.watch = watch;
    });
    return { initialized, done };
  });
  queue = turn.then(
    ({ done }) => done,
    () => undefined,
  );
  return turn.then(({ initialized }) => initialized);
}

/**
 * Disposes a certificate manager its owner alone uses. Each node-opcua client made with it counts
 * one use (referenceCounter) and never gives it back, so dispose() only counted down and left the
 * manager, its folder watchers and its clients' memory in place: 341 managers after 20 lifetimes
 * of a pair whose servers were unreachable (heap +10–45 MB per 10 pairs added and removed).
 */
export async function disposeOwnedCertificateManager(manager: OPCUACertificateManager): Promise<void> {
  manager.referenceCounter = 0;
  await manager.dispose().catch(() => undefined);
}
