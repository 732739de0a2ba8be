import { createMessageConnection, ErrorCodes, IPCMessageReader, IPCMessageWriter, ResponseError, type MessageConnection } from "vscode-jsonrpc/node";
import { actor } from "../host/actor";
import type { EngineHost } from "../host/engineHost";
import { Methods, setSecrets } from "./protocol";
import { errorMessage } from "../errorMessage";

/** Application error code of every refused control call (unknown pair, unwritable file…); the message says why. */
export const CONTROL_ERROR = -32001;

/**
 * Serves the control protocol (protocol.ts) on the Node IPC channel of this process, which the
 * extension opens by forking the engine: local only, no listening socket. Pushes every runtime
 * event and every pair change. `onShutdown` runs after the shutdown call was answered (with who
 * asked), and when the parent closes the channel (it went away). Operator actions are audited as
 * this process's OS user in the extension: only the process that forked the engine holds the channel.
 */
export function serveControl(host: EngineHost, onShutdown: (by?: string) => void): MessageConnection {
  if (!process.send) throw new Error("--control ipc needs an IPC channel: start the engine with child_process.fork");
  const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
  const refusing =
    <P, R>(handler: (params: P) => R | Promise<R>) =>
    async (params: P): Promise<R> => {
      try {
        return await handler(params);
      } catch (err) {
        if (err instanceof ResponseError) throw err;
        throw new ResponseError(CONTROL_ERROR, errorMessage(err));
      }
    };
  const needPair = (params: { pair?: unknown }): string => {
    if (typeof params?.pair !== "string") throw new ResponseError(ErrorCodes.InvalidParams, "params.pair must be the pair's effective name");
    return params.pair;
  };

  connection.onRequest(
    Methods.snapshot,
    refusing(() => host.snapshot()),
  );
  connection.onRequest(
    Methods.metrics,
    refusing(() => host.metrics()),
  );
  connection.onRequest(Methods.shutdown, () => {
    setImmediate(() => onShutdown(actor("extension")));
  });
  connection.onRequest(
    Methods.reload,
    refusing(() => host.reload(false, actor("extension"))),
  );
  connection.onRequest(
    Methods.setEnabled,
    refusing((p) => {
      if (typeof p?.enabled !== "boolean") throw new ResponseError(ErrorCodes.InvalidParams, "params.enabled must be true or false");
      return host.setEnabled(needPair(p), p.enabled, actor("extension"));
    }),
  );
  connection.onRequest(
    Methods.forceFailover,
    refusing((p) => host.forceFailover(needPair(p), actor("extension"))),
  );
  connection.onRequest(
    Methods.testConnection,
    refusing(async (p) => {
      const config = host.pairConfig(needPair(p));
      const { testPairConnection } = await import("../host/connectionTest.js");
      return testPairConnection(config, host.paths.pki, host.trust);
    }),
  );
  connection.onRequest(
    Methods.listEvents,
    refusing((p) => host.listEvents(typeof p?.limit === "number" ? p.limit : undefined)),
  );
  connection.onRequest(
    Methods.resetEvents,
    refusing(() => host.resetEvents()),
  );
  connection.onRequest(
    Methods.saveEvents,
    refusing(async (p) => {
      if (typeof p?.file !== "string" || !p.file) throw new ResponseError(ErrorCodes.InvalidParams, "params.file must be a file path");
      return { count: await host.saveEvents(p.file) };
    }),
  );
  connection.onRequest(
    Methods.testEmail,
    refusing(() => host.testEmail()),
  );
  connection.onRequest(
    Methods.trustServerCertificate,
    refusing((p) => {
      if (p?.side !== "primary" && p?.side !== "secondary") throw new ResponseError(ErrorCodes.InvalidParams, "params.side must be primary or secondary");
      if (typeof p.thumbprint !== "string" || !p.thumbprint) throw new ResponseError(ErrorCodes.InvalidParams, "params.thumbprint must be the certificate's thumbprint the user was shown");
      return host.trustServerCertificate(needPair(p), p.side, p.thumbprint, actor("extension"));
    }),
  );
  connection.onNotification(setSecrets, (secrets) => host.setSecrets(secrets ?? {}));

  host.onEvent((event) => void connection.sendNotification(Methods.event, event).catch(() => undefined));
  host.onPairChanged((pair) => void connection.sendNotification(Methods.pairChanged, pair).catch(() => undefined));
  connection.onClose(() => onShutdown());
  process.once("disconnect", () => onShutdown());
  connection.listen();
  return connection;
}
