import { connect, createServer, type Server } from "node:net";

/** One OPC UA TCP message as the server sent it (Part 6 §7.1.2): type, chunk flag, bytes after the 8-byte header. */
export interface WireMessage {
  type: string;
  chunk: string;
  body: Buffer;
}

/**
 * A TCP relay between a client and a server that keeps every byte the server sends, so a test
 * reads the reply exactly as another OPC UA stack would receive it.
 */
export class WireRecorder {
  private readonly received: Buffer[] = [];
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(port: number, target: { host: string; port: number }): Promise<WireRecorder> {
    let recorder: WireRecorder | undefined;
    const server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      client.pipe(upstream);
      upstream.on("data", (data: Buffer) => {
        recorder?.received.push(data);
        client.write(data);
      });
      upstream.on("close", () => client.end());
      client.on("close", () => upstream.destroy());
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    await new Promise<void>((ready, fail) => server.once("error", fail).listen(port, "127.0.0.1", () => ready()));
    recorder = new WireRecorder(server, port);
    return recorder;
  }

  /** The server's messages so far, split by their headers' sizes. */
  messages(): WireMessage[] {
    const all = Buffer.concat(this.received);
    const out: WireMessage[] = [];
    for (let at = 0; at + 8 <= all.length;) {
      const size = all.readUInt32LE(at + 4);
      out.push({ type: all.subarray(at, at + 3).toString("latin1"), chunk: String.fromCharCode(all[at + 3]), body: all.subarray(at + 8, at + size) });
      at += size;
    }
    return out;
  }

  close(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }
}

/**
 * Decodes an Error message as Part 6 §7.1.2.5 defines it, strictly: a StatusCode (UInt32) and a
 * Reason (String: Int32 length, UTF-8 bytes) and nothing else. Throws where another stack would.
 */
export function decodeErrorMessage(message: WireMessage): { status: number; reason: string } {
  if (message.type !== "ERR" || message.chunk !== "F") throw new Error(`not an Error message: ${message.type}${message.chunk}`);
  const body = message.body;
  if (body.length < 8) throw new Error("Not enough data left in buffer");
  const status = body.readUInt32LE(0);
  const length = body.readInt32LE(4);
  if (length < -1 || 8 + Math.max(length, 0) !== body.length) throw new Error(`Error message of ${body.length} bytes holds a reason of ${length} bytes`);
  return { status, reason: length > 0 ? body.subarray(8).toString("utf8") : "" };
}
