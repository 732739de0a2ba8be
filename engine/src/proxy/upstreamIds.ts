import { NodeId, type AddressSpace, type ClientSession } from "node-opcua";

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
    let table = this.tables.get(session);
    if (!table) {
      table = session.readNamespaceArray();
      this.tables.set(session, table);
      table.catch(() => this.tables.delete(session));
    }
    const uri = this.addressSpace.getNamespaceArray()[nodeId.namespace]?.namespaceUri;
    const index = uri === undefined ? -1 : (await table).indexOf(uri);
    // A namespace the upstream lacks: an index it cannot have, so that it answers BadNodeIdUnknown itself.
    return new NodeId(nodeId.identifierType, nodeId.value, index < 0 ? 0xffff : index);
  }
}
