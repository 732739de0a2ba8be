import { NodeId, type AddressSpace, type ClientSession } from "node-opcua";

/** Namespace indices between the proxy's table and one upstream session's, matched by URI. */
export interface NamespaceMap {
  toUpstream(index: number): number;
  toProxy(index: number): number;
}

/** An index no server has: what a namespace missing on the other end maps to, so that it answers BadNodeIdUnknown itself. */
const UNKNOWN_NAMESPACE = 0xffff;

/**
 * Translates the proxy's NodeIds into those of an upstream session through the namespace URIs:
 * the proxy's namespace table starts with its own URI, and the two upstream servers may order
 * theirs differently.
 */
export class UpstreamIds {
  private readonly tables = new WeakMap<ClientSession, Promise<string[]>>();

  constructor(private readonly addressSpace: AddressSpace) {}

  async toUpstream(nodeId: NodeId, session: ClientSession): Promise<NodeId> {
    if (nodeId.namespace === 0) return nodeId;
    const map = await this.namespaces(session);
    return new NodeId(nodeId.identifierType, nodeId.value, map.toUpstream(nodeId.namespace));
  }

  /** The session's namespace table is read once and kept for the session's life. */
  async namespaces(session: ClientSession): Promise<NamespaceMap> {
    let table = this.tables.get(session);
    if (!table) {
      table = session.readNamespaceArray();
      this.tables.set(session, table);
      table.catch(() => this.tables.delete(session));
    }
    const upstreamUris = await table;
    const proxyUris = () => this.addressSpace.getNamespaceArray();
    return {
      toUpstream: (index) => {
        if (index === 0) return 0;
        const found = upstreamUris.indexOf(proxyUris()[index]?.namespaceUri ?? "");
        return found < 0 ? UNKNOWN_NAMESPACE : found;
      },
      toProxy: (index) => {
        if (index === 0) return 0;
        const uri = upstreamUris[index];
        if (uri === undefined) return UNKNOWN_NAMESPACE;
        // A namespace that nothing mirrored yet (an event from a node outside the browsed tree) is registered like the mirror does.
        const known = this.addressSpace.getNamespaceIndex(uri);
        return known >= 0 ? known : this.addressSpace.registerNamespace(uri).index;
      },
    };
  }
}
