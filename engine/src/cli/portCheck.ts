import { createServer } from "node:net";

/** Whether this machine lets a server listen on `port` right now (on every interface, as the engine's endpoints do). */
export function canListen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, () => server.close(() => done(true)));
  });
}
