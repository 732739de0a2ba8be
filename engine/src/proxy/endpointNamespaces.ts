import { NodeId, resolveNodeId, type AddressSpace } from "node-opcua";
import { identityIn, namespaceOf, nodeIdIn, type NodeIdentity } from "../namespaces/namespaceIdentity";
import type { NamespaceStore } from "../state/namespaceStore";

/** Index 0 is OPC UA's namespace and 1 the endpoint's own: the upstreams' URIs come after. */
const FIRST_UPSTREAM_INDEX = 2;

/**
 * The endpoint's namespace table, assigned once per pair: the indexes kept in the store are
 * registered again at start, a URI seen for the first time is appended (and stored), and none is
 * ever renumbered or removed. So an `ns=` index a client stored keeps naming the same namespace
 * across engine restarts, failovers, reloads and whichever side connects first.
 */
export class EndpointNamespaces {
  constructor(
    private readonly addressSpace: AddressSpace,
    private readonly store: NamespaceStore,
  ) {
    const own = addressSpace.getNamespaceArray().length;
    if (own !== FIRST_UPSTREAM_INDEX) throw new Error(`the endpoint's address space starts with ${own} namespaces, not ${FIRST_UPSTREAM_INDEX}: its stored indexes cannot be kept`);
    store.endpoint.forEach((uri, i) => {
      const index = addressSpace.registerNamespace(uri).index;
      if (index !== FIRST_UPSTREAM_INDEX + i) throw new Error(`namespace ${uri} had index ${FIRST_UPSTREAM_INDEX + i} and would now get ${index}`);
    });
  }

  /** The URIs as the endpoint numbers them (index 0 first). */
  get table(): string[] {
    return this.addressSpace.getNamespaceArray().map((n) => n.namespaceUri);
  }

  /** The endpoint's index of a URI, given (and stored) now if it has none yet. */
  indexOf(uri: string): number {
    const known = this.addressSpace.getNamespaceIndex(uri);
    if (known >= 0) return known;
    const index = this.addressSpace.registerNamespace(uri).index;
    this.store.appendEndpoint(uri);
    return index;
  }

  /** Gives indexes to a table's URIs that have none, in that table's order (the primary's first: see UpstreamSync). */
  adopt(table: readonly string[]): void {
    for (const uri of table.slice(1)) this.indexOf(uri);
  }

  identityOf(nodeId: NodeId): NodeIdentity | undefined {
    return identityIn(nodeId.toString(), this.table);
  }

  /** The endpoint's NodeId of a node known by identity (its namespace given an index if new). */
  nodeIdOf(identity: NodeIdentity): NodeId {
    this.indexOf(namespaceOf(identity));
    return resolveNodeId(nodeIdIn(identity, this.table)!);
  }
}
