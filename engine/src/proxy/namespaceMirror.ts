import { DataType, makeNodeId, NodeClass, NodeId, ObjectTypeIds, ReferenceTypeIds, VariableTypeIds, type AddressSpace, type BaseNode, type UAMethod, type UAObject, type UAVariable } from "node-opcua";
import type { EndpointNamespaces } from "./endpointNamespaces";
import { UNKNOWN_KEY, type UpstreamNamespace, type UpstreamNode } from "./upstreamNamespace";

/** How long extend works before it lets the event loop run. */
const SLICE_MS = 10;

/** What the endpoint does with each mirrored node once it exists (forwarding is bound here). */
export interface MirrorBindings {
  variable(variable: UAVariable, upstream: UpstreamNode): void;
  method(method: UAMethod): void;
}

/**
 * The proxy's copy of the upstream address space: the same NodeIds in the same namespace URIs
 * (numbered by the endpoint's own stable table, see EndpointNamespaces), browse
 * names, display names, descriptions, data types, value ranks, access levels and Historizing. It only grows:
 * nodes of one side are added to those of the other (the union), and each side's nodes are
 * recorded so that the endpoint can tell which are missing where.
 */
export class NamespaceMirror {
  private readonly nodes = new Map<string, BaseNode>();

  constructor(
    private readonly addressSpace: AddressSpace,
    private readonly namespaces: EndpointNamespaces,
    private readonly bindings: MirrorBindings,
  ) {}

  get size(): number {
    return this.nodes.size;
  }

  has(key: string): boolean {
    return this.nodes.has(key);
  }

  /**
   * Adds the upstream's nodes that are not mirrored yet; resolves to how many were added. Creating
   * a node costs node-opcua about a quarter of a millisecond (20,000 nodes: 5 s), so the work is
   * done in slices, between which the engine's other work (values, clients, other pairs) goes on.
   */
  async extend(upstream: UpstreamNamespace): Promise<number> {
    this.namespaces.adopt(upstream.namespaceUris);
    let added = 0;
    let sliceStarted = Date.now();
    for (const node of upstream.nodes) {
      if (this.nodes.has(node.key)) continue;
      if (Date.now() - sliceStarted >= SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStarted = Date.now();
      }
      const created = this.tryCreate(node);
      if (created) {
        this.nodes.set(node.key, created);
        added++;
      }
    }
    return added;
  }

  /** A node node-opcua refuses (a combination of attributes it rejects) is left out with its children, never a crash. */
  private tryCreate(node: UpstreamNode): BaseNode | undefined {
    try {
      return this.create(node);
    } catch {
      return undefined;
    }
  }

  private create(node: UpstreamNode): BaseNode | undefined {
    if (node.key.startsWith(UNKNOWN_KEY)) return undefined;
    const nodeId = this.namespaces.nodeIdOf(node.key);
    if (this.addressSpace.findNode(nodeId)) return undefined;
    const parents = node.parents
      .map((p) => ({ parent: this.nodes.get(p.parent) ?? this.addressSpace.findNode(p.parent), referenceTypeId: p.referenceTypeId }))
      .filter((p): p is { parent: BaseNode; referenceTypeId: NodeId } => !!p.parent);
    if (parents.length === 0) return undefined;
    const namespace = this.addressSpace.getNamespace(nodeId.namespace);
    const base = {
      nodeId,
      browseName: { name: node.browseName.name, namespaceIndex: node.browseName.namespaceUri ? this.namespaces.indexOf(node.browseName.namespaceUri) : 0 },
      displayName: node.displayName,
      description: node.description,
    };
    const [first, ...others] = parents;
    let created: BaseNode;
    if (node.nodeClass === NodeClass.Method) {
      if (first.parent.nodeClass !== NodeClass.Object) return undefined;
      const method = namespace.addMethod(first.parent as UAObject, { ...base, executable: true, userExecutable: true });
      this.bindings.method(method);
      created = method;
    } else if (node.nodeClass === NodeClass.Object) {
      created = namespace.addObject({
        ...base,
        typeDefinition: this.knownType(node.typeDefinition, ObjectTypeIds.BaseObjectType),
        eventNotifier: node.eventNotifier ?? 0,
        references: [this.parentReference(first, NodeClass.Object)],
      });
    } else {
      const v = node.variable!;
      const variable = namespace.addVariable({
        ...base,
        typeDefinition: this.knownType(node.typeDefinition, VariableTypeIds.BaseDataVariableType),
        dataType: this.dataType(v.dataType, v.value.value?.dataType || undefined),
        valueRank: v.valueRank,
        arrayDimensions: v.arrayDimensions,
        accessLevel: v.accessLevel,
        userAccessLevel: v.userAccessLevel,
        historizing: v.historizing,
        // The proxy pushes each forwarded value as it arrives: a client asking for 0 gets every change.
        minimumSamplingInterval: 0,
        references: [this.parentReference(first, NodeClass.Variable)],
      });
      try {
        // The cache a method's argument properties are read from; other values are read upstream when asked for.
        if (v.value.value) variable.setValueFromSource(v.value.value, v.value.statusCode, v.value.sourceTimestamp ?? undefined);
      } catch {
        // A value that does not fit the declared type: the variable keeps no cached value.
      }
      this.bindings.variable(variable, node);
      created = variable;
    }
    for (const other of others) created.addReference(this.parentReference(other, node.nodeClass));
    return created;
  }

  /** A backward hierarchical reference to a parent; a vendor reference type the proxy lacks becomes its standard nearest kin. */
  private parentReference(p: { parent: BaseNode; referenceTypeId: NodeId }, nodeClass: NodeClass) {
    const known = p.referenceTypeId.namespace === 0 && this.addressSpace.findNode(p.referenceTypeId);
    const fallback = nodeClass === NodeClass.Object ? ReferenceTypeIds.Organizes : ReferenceTypeIds.HasComponent;
    return { referenceType: known ? p.referenceTypeId : makeNodeId(fallback), isForward: false, nodeId: p.parent.nodeId };
  }

  private knownType(typeId: NodeId, fallback: number): NodeId {
    return typeId.namespace === 0 && !typeId.isEmpty() && this.addressSpace.findNode(typeId) ? typeId : makeNodeId(fallback);
  }

  /** Standard data types as they are; a vendor data type the proxy does not know becomes the built-in type of its value. */
  private dataType(dataType: NodeId, valueType: DataType | undefined): NodeId {
    if (dataType.namespace === 0 && this.addressSpace.findNode(dataType)) return dataType;
    return makeNodeId(valueType ?? DataType.Variant);
  }
}
