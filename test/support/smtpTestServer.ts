import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SMTPServer, type SMTPServerSession } from "smtp-server";

/**
 * A real SMTP server on 127.0.0.1 for tests: records every mail it takes, counts connections,
 * and can play a dead server. Modes: `up` serves; `refuse` greets with 421 and hangs up (an
 * overloaded or stopped MTA); `hang` accepts the connection and never greets; `stall` takes the
 * envelope and the data but never answers the end of data.
 */
export type SmtpTestMode = "up" | "refuse" | "hang" | "stall";

export interface ReceivedMail {
  from: string;
  to: string[];
  headers: Record<string, string>;
  subject: string;
  body: string;
  /** The session ran over TLS (STARTTLS done). */
  secure: boolean;
  user?: string;
}

export interface SmtpTestServerOptions {
  port: number;
  mode?: SmtpTestMode;
  /** Certificate and key for STARTTLS; without them the server offers no STARTTLS. */
  tls?: TestCertificate;
  /** With `tls`: TLS from the first byte (port 465 style) instead of STARTTLS. */
  implicitTls?: boolean;
  /** Require AUTH PLAIN or LOGIN with this user and password. */
  auth?: { user: string; pass: string };
  /** Recipients refused at RCPT TO with 550. */
  refuseRecipients?: string[];
}

export interface TestCertificate {
  key: string;
  cert: string;
}

/** A throwaway self-signed certificate for 127.0.0.1 and localhost, made with the machine's openssl. */
export function makeTestCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), "rm-smtp-cert-"));
  try {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout",
        key,
        "-out",
        cert,
      ],
      { stdio: "ignore" },
    );
    return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function decodeBody(raw: string, encoding: string): string {
  if (encoding === "base64") return Buffer.from(raw.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") {
    const bytes = raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return raw;
}

/** Enough MIME for the single-part text mails the notifier sends. */
function parseMessage(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = decodeBody(raw.slice(split + 4), (headers["content-transfer-encoding"] ?? "7bit").toLowerCase());
  return { headers, body: body.replace(/\r\n/g, "\n") };
}

export class SmtpTestServer {
  readonly mails: ReceivedMail[] = [];
  /** TCP connections accepted, in any mode. */
  connections = 0;
  mode: SmtpTestMode;
  private readonly server: SMTPServer;
  private waiters: (() => void)[] = [];

  private constructor(readonly options: SmtpTestServerOptions) {
    this.mode = options.mode ?? "up";
    const { tls, auth, refuseRecipients = [] } = options;
    this.server = new SMTPServer({
      logger: false,
      disableReverseLookup: true,
      closeTimeout: 100,
      allowInsecureAuth: !tls,
      ...(tls ? { key: tls.key, cert: tls.cert, secure: options.implicitTls === true } : {}),
      ...(auth ? { authMethods: ["PLAIN", "LOGIN"] } : {}),
      disabledCommands: [...(auth ? [] : ["AUTH"]), ...(tls ? [] : ["STARTTLS"])],
      onConnect: (_session, callback) => {
        this.connections++;
        if (this.mode === "hang") return;
        if (this.mode === "refuse") return callback(Object.assign(new Error("Service not available (test: refusing)"), { responseCode: 421 }));
        callback();
      },
      onAuth: (login, _session, callback) => {
        if (auth && login.username === auth.user && login.password === auth.pass) return callback(null, { user: login.username });
        callback(Object.assign(new Error("Authentication failed"), { responseCode: 535 }));
      },
      onRcptTo: (address, _session, callback) => {
        if (refuseRecipients.includes(address.address)) return callback(Object.assign(new Error(`<${address.address}>: mailbox unavailable`), { responseCode: 550 }));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          if (this.mode === "stall") return;
          this.record(Buffer.concat(chunks).toString("latin1"), session);
          callback();
        });
      },
    });
  }

  static async start(options: SmtpTestServerOptions): Promise<SmtpTestServer> {
    const s = new SmtpTestServer(options);
    await new Promise<void>((resolve, reject) => {
      s.server.server.once("error", reject);
      s.server.listen(options.port, "127.0.0.1", () => resolve());
    });
    return s;
  }

  get port(): number {
    return this.options.port;
  }

  /** Resolves once `count` mails have arrived in total; rejects after `timeoutMs`. */
  async waitForMails(count: number, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.mails.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} mails on port ${this.port}, got ${this.mails.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.mails.slice(0, count);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(raw: string, session: SMTPServerSession): void {
    const { headers, body } = parseMessage(raw);
    this.mails.push({
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
      to: session.envelope.rcptTo.map((r) => r.address),
      headers,
      subject: headers.subject ?? "",
      body,
      secure: session.secure,
      user: typeof session.user === "string" ? session.user : undefined,
    });
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
