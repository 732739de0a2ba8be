import type { BaseNode, INamespace, NodeId } from "node-opcua";

/**
 * Lets the engine create a node of the namespace at the moment node-opcua first looks it up and
 * lacks it. Relies on node-opcua 2.186's NamespaceImpl: `findNode2` is what AddressSpace.findNode
 * and the services' AddressSpaceAccessor (Read, Write, Call, HistoryRead) call for a node of
 * this namespace, and what a subscription's CreateMonitoredItems finds its node with.
 * `create` answers null for a node it does not know, and must tolerate being called again while
 * it creates (node-opcua looks a node up before adding it).
 */
export function createOnLookup(namespace: INamespace, create: (nodeId: NodeId) => BaseNode | null): void {
  const find = namespace.findNode2.bind(namespace);
  namespace.findNode2 = (nodeId) => find(nodeId) ?? create(nodeId);
}
