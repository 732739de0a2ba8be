import fs from "node:fs";
import type { OPCUACertificateManager } from "node-opcua";

/** How long a manager's folder watchers may take to be ready before fs.watch is put back regardless. */
const WATCHERS_READY_MS = 10_000;

let queue: Promise<void> = Promise.resolve();

/**
 * Initializes a node-opcua certificate manager alone: never while another one initializes.
 *
 * node-opcua-pki (7.0) replaces the process's `fs.watch` while a manager starts its five folder
 * watchers, and puts back the `fs.watch` it found once they are ready. Two managers starting at
 * once interleave: the second finds the first's replacement and, ready last, puts that back for
 * good. From then on every `fs.watch` of the process goes through the replacements, each adding
 * an error listener to the handle and keeping it in an array for ever: with every pair added,
 * removed or reconnected the chain grew (origWatch in origWatch …), and with it the heap (43,000
 * listeners on 592 kept watchers after 4 cycles of 10 pairs added and removed, +1.4 MB a cycle).
 * One at a time, each manager puts back the real `fs.watch`; one whose watchers are not ready
 * within WATCHERS_READY_MS gets it put back for it. node-opcua's own later initialize() calls
 * (the client's connect, the server's start) find the manager initialized and do nothing.
 */
export function initializeCertificateManager(manager: OPCUACertificateManager): Promise<void> {
  const started = queue.then(() => initializeAlone(manager));
  queue = started.catch(() => undefined);
  return started;
}

async function initializeAlone(manager: OPCUACertificateManager): Promise<void> {
  const watch = fs.watch;
  try {
    await manager.initialize();
    for (const deadline = Date.now() + WATCHERS_READY_MS; fs.watch !== watch && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    fs.watch = watch;
  }
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
