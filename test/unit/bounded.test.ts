import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, connect, type AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { bounded } from "../../engine/src/upstream/bounded";
import { stall } from "../support/stall";

describe("bounded: a request's time limit", () => {
  it("fails a request that never answers, naming it", async () => {
    // The bound's timer keeps no process alive: this one does, for the test.
    const alive = setInterval(() => undefined, 1000);
    try {
      await assert.rejects(bounded(new Promise(() => undefined), 150, "reading the status"), /^Error: reading the status timed out after 150 ms$/);
    } finally {
      clearInterval(alive);
    }
  });

  it("takes an answer that arrived while the engine's own loop was stalled past the limit", async () => {
    // A real echo server: its answer sits in the socket while this process is busy.
    const server = createServer((socket) => socket.pipe(socket)).listen(0, "127.0.0.1");
    await once(server, "listening");
    const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
    await once(socket, "connect");
    try {
      const answer = once(socket, "data").then(([data]) => String(data));
      const request = bounded(answer, 300, "the echo");
      socket.write("ping");
      stall(800);
      assert.equal(await request, "ping", "the stall was the engine's, not the server's");
    } finally {
      socket.destroy();
      server.close();
    }
  });
});
