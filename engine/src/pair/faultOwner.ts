import { AsyncLocalStorage } from "node:async_hooks";
import type { Server, Socket } from "node:net";

/** The pair a piece of asynchronous work belongs to, so that its unexpected failure stops that pair only. */
export interface FaultOwner {
  /** The pair's effective name. */
  readonly name: string;
}

const owners = new AsyncLocalStorage<FaultOwner>();

/**
 * Runs `work` as the pair's: every timer, promise and outgoing socket it creates, and what those
 * create in turn, carries the owner, so that an uncaught exception or unhandled rejection they
 * raise can be blamed on it (`faultOwner()` in the process's handlers).
 */
export function runAsPair<T>(owner: FaultOwner, work: () => T): T {
  return owners.run(owner, work);
}

/** The owner of the work that is running now (in an uncaughtException handler: of the work that threw). */
export function faultOwner(): FaultOwner | undefined {
  return owners.getStore();
}

/** Runs `work` as no pair's: the host's own work started from a pair's callback (an event it posts, a mail that event sends). */
export function outsideAnyPair<T>(work: () => T): T {
  return owners.exit(work);
}

/**
 * Makes a listening server's incoming connections the pair's too. Node creates an accepted
 * socket's handle outside any context (the listener's is not passed on), so each socket takes the
 * owner on its first data: the store set there stays with the socket's handle for every later read.
 */
export function ownIncomingConnections(server: Server, owner: FaultOwner): void {
  server.prependListener("connection", (socket: Socket) => {
    socket.prependOnceListener("data", () => owners.enterWith(owner));
  });
}
