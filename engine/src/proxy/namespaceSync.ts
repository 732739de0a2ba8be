import { AttributeIds, makeNodeId, VariableIds, type ClientSession } from "node-opcua";
import { readUpstreamNamespace, type UpstreamNamespace } from "./upstreamNamespace";

export interface NotSynced {
  missingOnPrimary: string[];
  missingOnSecondary: string[];
}

/** The nodes (by namespace-URI key) that one side serves and the other lacks; undefined when both serve the same. */
export function namespaceDiff(primary: UpstreamNamespace, secondary: UpstreamNamespace): NotSynced | undefined {
  const onPrimary = new Set(primary.nodes.map((n) => n.key));
  const onSecondary = new Set(secondary.nodes.map((n) => n.key));
  const missingOnPrimary = [...onSecondary].filter((k) => !onPrimary.has(k)).sort();
  const missingOnSecondary = [...onPrimary].filter((k) => !onSecondary.has(k)).sort();
  return missingOnPrimary.length + missingOnSecondary.length === 0 ? undefined : { missingOnPrimary, missingOnSecondary };
}

/**
 * Each upstream server's namespace, read once per run of that server. A new session to a server
 * that has not restarted since it was read (the same application URI, endpoint URL and start time:
 * a reconnect after a lost connection or a hang) is given that read: a plant-size address space
 * is not browsed whole again at each reconnect. A restarted server is read again, as it may come
 * back with another configuration. One read is kept a server.
 */
export class SessionNamespaces {
  private readonly bySession = new WeakMap<ClientSession, Promise<UpstreamNamespace>>();
  private readonly byServer = new Map<string, { run: number | undefined; namespace: Promise<UpstreamNamespace> }>();

  read(session: ClientSession): Promise<UpstreamNamespace> {
    let namespace = this.bySession.get(session);
    if (!namespace) {
      namespace = this.readOncePerRun(session);
      this.bySession.set(session, namespace);
      namespace.catch(() => this.bySession.delete(session));
    }
    return namespace;
  }

  private async readOncePerRun(session: ClientSession): Promise<UpstreamNamespace> {
    const server = `${session.endpoint.server.applicationUri ?? ""} ${session.endpoint.endpointUrl ?? ""}`;
    const run = await serverStartTime(session);
    const known = this.byServer.get(server);
    if (run !== undefined && known?.run === run) return known.namespace;
    const namespace = readUpstreamNamespace(session);
    const entry = { run, namespace };
    this.byServer.set(server, entry);
    namespace.catch(() => {
      if (this.byServer.get(server) === entry) this.byServer.delete(server);
    });
    return namespace;
  }
}

/** The server's ServerStatus.StartTime in ms; undefined for a server that does not say (it is read at each session). */
async function serverStartTime(session: ClientSession): Promise<number | undefined> {
  const read = await session.read({ nodeId: makeNodeId(VariableIds.Server_ServerStatus_StartTime), attributeId: AttributeIds.Value });
  const started = read.statusCode.isGood() && read.value.value instanceof Date ? read.value.value.getTime() : NaN;
  return Number.isFinite(started) && started > 0 ? started : undefined;
}
