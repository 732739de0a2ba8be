import { NodeId, resolveNodeId, type ClientSession } from "node-opcua";
import { nodeIdIn, type NodeIdentity, type SessionTables } from "../namespaces/namespaceIdentity";
import type { EndpointNamespaces } from "./endpointNamespaces";

/** Namespace indices between the endpoint's table and one upstream session's, matched by URI. */
export interface NamespaceMap {
  toUpstream(index: number): number;
  toProxy(index: number): number;
}

/** An index no server has: what a namespace missing on the other end maps to, so that it answers BadNodeIdUnknown itself. */
const UNKNOWN_NAMESPACE = 0xffff;

/**
 * The endpoint's NodeIds as an upstream session numbers them, and back, through the namespace
 * URIs (namespaces/namespaceIdentity.ts): each session's table is read once, so a server that
 * restarts with its namespaces in another order is translated by its new table.
 */
export class UpstreamIds {
  constructor(
    readonly endpoint: EndpointNamespaces,
    private readonly tables: SessionTables,
  ) {}

  /** A node's identity from its endpoint NodeId. */
  identityOf(nodeId: NodeId): NodeIdentity | undefined {
    return this.endpoint.identityOf(nodeId);
  }

  async toUpstream(nodeId: NodeId, session: ClientSession): Promise<NodeId> {
    if (nodeId.namespace === 0) return nodeId;
    const identity = this.identityOf(nodeId);
    const text = identity && nodeIdIn(identity, await this.tables.table(session));
    return text ? resolveNodeId(text) : new NodeId(nodeId.identifierType, nodeId.value, UNKNOWN_NAMESPACE);
  }

  /** Index maps for what carries namespace indices inside it (event filters and fields). */
  async namespaces(session: ClientSession): Promise<NamespaceMap> {
    const upstreamUris = await this.tables.table(session);
    return {
      toUpstream: (index) => {
        if (index === 0) return 0;
        const found = upstreamUris.indexOf(this.endpoint.table[index] ?? "");
        return found < 0 ? UNKNOWN_NAMESPACE : found;
      },
      // A namespace that nothing mirrored yet (an event from a node outside the browsed tree) gets its endpoint index now.
      toProxy: (index) => (index === 0 ? 0 : upstreamUris[index] === undefined ? UNKNOWN_NAMESPACE : this.endpoint.indexOf(upstreamUris[index])),
    };
  }
}
