import { createServer, type Server, type Socket } from "node:net";
import { SimProcess } from "../../engine/src/sim/simProcess";
import { ensureEngineBuilt } from "../support/engineCli";

// Ports 22660–22679 belong to the LSP tests and the editor benchmark; each file names the ones it takes.

/** A simulated primary and secondary with one node each that the other lacks (a pair not synced). */
export async function startSimPair(primaryPort: number, secondaryPort: number): Promise<{ primary: SimProcess; secondary: SimProcess }> {
  await ensureEngineBuilt();
  const started = await Promise.allSettled([
    SimProcess.start({ port: primaryPort, identity: "primary", extraNodes: ["OnlyOnPrimary"] }),
    SimProcess.start({ port: secondaryPort, identity: "secondary", extraNodes: ["OnlyOnSecondary"] }),
  ]);
  const [primary, secondary] = started.map((s) => (s.status === "fulfilled" ? s.value : undefined));
  if (primary && secondary) return { primary, secondary };
  await Promise.all([primary?.close(), secondary?.close()]);
  throw started.map((s) => (s.status === "rejected" ? s.reason : undefined)).find(Boolean);
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
