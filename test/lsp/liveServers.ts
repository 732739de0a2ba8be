import { createServer, type Server, type Socket } from "node:net";
import type { SimProcess } from "../../engine/src/sim/simProcess";
import { ensureEngineBuilt } from "../support/engineCli";
import { startSims } from "../support/startSims";

// Ports 22660–22679 belong to the LSP tests and the editor benchmark; each file names the ones it takes.

/** A simulated primary and secondary with one node each that the other lacks (a pair not synced). */
export async function startSimPair(primaryPort: number, secondaryPort: number): Promise<{ primary: SimProcess; secondary: SimProcess }> {
  await ensureEngineBuilt();
  const [primary, secondary] = await startSims([
    { port: primaryPort, identity: "primary", extraNodes: ["OnlyOnPrimary"] },
    { port: secondaryPort, identity: "secondary", extraNodes: ["OnlyOnSecondary"] },
  ]);
  return { primary, secondary };
}

/** A TCP listener that accepts connections and never answers: a hung OPC UA server, as a stopped process looks from outside. */
export async function startHungEndpoint(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((listening, failed) => {
    server.once("error", failed);
    server.listen(port, "127.0.0.1", listening);
  });
  return {
    url: `opc.tcp://127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((closed) => server.close(() => closed()));
    },
  };
}

/** A port nothing listens on: connections are refused at once. */
export const closedPortUrl = (port: number) => `opc.tcp://127.0.0.1:${port}`;
