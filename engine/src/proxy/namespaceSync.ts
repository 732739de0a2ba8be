import type { ClientSession } from "node-opcua";
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

/** Each upstream session's namespace, read once per session (a reconnect is a new session, so it is read again). */
export class SessionNamespaces {
  private readonly cache = new WeakMap<ClientSession, Promise<UpstreamNamespace>>();

  read(session: ClientSession): Promise<UpstreamNamespace> {
    let namespace = this.cache.get(session);
    if (!namespace) {
      namespace = readUpstreamNamespace(session);
      this.cache.set(session, namespace);
      namespace.catch(() => this.cache.delete(session));
    }
    return namespace;
  }
}
