import { createServer } from "node:net";

/** Whether a listener could take this TCP port on this address now (as the pair's endpoint would). */
export function portIsFree(address: string, port: number): Promise<boolean> {
  return new Promise((answer) => {
    const probe = createServer();
    probe.once("error", () => answer(false));
    probe.listen(port, address, () => probe.close(() => answer(true)));
  });
}
