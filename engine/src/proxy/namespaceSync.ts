import { AttributeIds, makeNodeId, VariableIds, type ClientSession } from "node-opcua";
import { readUpstreamNamespace, type UpstreamNamespace } from "./upstreamNamespace";

export interface NotSynced {
  missingOnPrimary: string[];
  missingOnSecondary: string[];
}

/** The nodes (by namespace-URI key) that one side serves and the other lacks; undefined when both serve the same. */
export function namespaceDiff(onPrimary: ReadonlySet<string>, onSecondary: ReadonlySet<string>): NotSynced | undefined {
  const missingOnPrimary = [...onSecondary].filter((k) => !onPrimary.has(k)).sort();
  const missingOnSecondary = [...onPrimary].filter((k) => !onSecondary.has(k)).sort();
  return missingOnPrimary.length + missingOnSecondary.length === 0 ? undefined : { missingOnPrimary, missingOnSecondary };
}

/** The keys of a namespace's nodes: all the comparison of the sides needs of it. */
export function namespaceKeys(namespace: UpstreamNamespace): Set<string> {
  return new Set(namespace.nodes.map((n) => n.key));
}

/**
 * Each upstream server's namespace, read once per run of that server and handed to `use` (the
 * mirror); what is kept of it is its keys (a plant's full read is tens of MB a side). A new
 * session to a server that has not restarted since it was read (the same application URI,
 * endpoint URL and start time: a reconnect after a lost connection or a hang) is given those keys:
 * a plant-size address space is not browsed whole again at each reconnect. A restarted server is
 * read again, as it may come back with another configuration. One read is kept a server.
 */
export class SessionNamespaces {
  private readonly bySession = new WeakMap<ClientSession, Promise<ReadonlySet<string>>>();
  private readonly byServer = new Map<string, { run: number | undefined; keys: Promise<ReadonlySet<string>> }>();

  constructor(private readonly use: (namespace: UpstreamNamespace) => Promise<unknown>) {}

  /** The keys of the session's server's nodes, once `use` has had them. */
  read(session: ClientSession): Promise<ReadonlySet<string>> {
    let keys = this.bySession.get(session);
    if (!keys) {
      keys = this.readOncePerRun(session);
      this.bySession.set(session, keys);
      keys.catch(() => this.bySession.delete(session));
    }
    return keys;
  }

  private async readOncePerRun(session: ClientSession): Promise<ReadonlySet<string>> {
    const server = `${session.endpoint.server.applicationUri ?? ""} ${session.endpoint.endpointUrl ?? ""}`;
    const run = await serverStartTime(session);
    const known = this.byServer.get(server);
    if (run !== undefined && known?.run === run) return known.keys;
    const keys = readUpstreamNamespace(session).then(async (namespace) => {
      await this.use(namespace);
      return namespaceKeys(namespace);
    });
    const entry = { run, keys };
    this.byServer.set(server, entry);
    keys.catch(() => {
      if (this.byServer.get(server) === entry) this.byServer.delete(server);
    });
    return keys;
  }
}

/** The server's ServerStatus.StartTime in ms; undefined for a server that does not say (it is read at each session). */
async function serverStartTime(session: ClientSession): Promise<number | undefined> {
  const read = await session.read({ nodeId: makeNodeId(VariableIds.Server_ServerStatus_StartTime), attributeId: AttributeIds.Value });
  const started = read.statusCode.isGood() && read.value.value instanceof Date ? read.value.value.getTime() : NaN;
  return Number.isFinite(started) && started > 0 ? started : undefined;
}
