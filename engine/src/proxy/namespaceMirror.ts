import {
  DataType,
  makeNodeId,
  NodeClass,
  NodeId,
  ObjectTypeIds,
  ReferenceTypeIds,
  VariableTypeIds,
  type AddressSpace,
  type BaseNode,
  type BrowsePath,
  type OPCUAServer,
  type UAMethod,
  type UAObject,
  type UAVariable,
} from "node-opcua";
import { namesNamespaceUri } from "../namespaces/namespaceIdentity";
import { beforeCreateMonitoredItems, beforeRead, beforeTranslateBrowsePath, createOnLookup } from "../opcuaInternals";
import type { EndpointNamespaces } from "./endpointNamespaces";
import { UNKNOWN_KEY, type UpstreamNamespace, type UpstreamNode } from "./upstreamNamespace";

/** How long the mirror creates nodes (extend, a first Browse, a request naming many) before it lets the event loop run. */
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
 * nodes of one side are added to those of the other (the union).
 *
 * It is lazy: a node of node-opcua's costs about 3 kB, so of the upstream's nodes only the
 * children of Objects are created at once; the others are kept as read, and created when a client
 * first browses their parent, or names them (Read, Write, Call, HistoryRead, a monitored item, a
 * browse path), with their ancestors. A plant's HMI that uses a part of the namespace costs that part.
 */
export class NamespaceMirror {
  /** Created nodes by key. */
  private readonly nodes = new Map<string, BaseNode>();
  /** Nodes read upstream and not created yet (or refused by node-opcua: then dropped). */
  private readonly described = new Map<string, UpstreamNode>();
  /** Parent key → its children's keys, created or not. */
  private readonly children = new Map<string, string[]>();
  /** The same by parent key and browse name (`namedKey`), for browse paths through folders of thousands. */
  private readonly named = new Map<string, string[]>();
  /** Keys being created now: node-opcua looks a node up before adding it, and that lookup must not create it. */
  private readonly creating = new Set<string>();
  private readonly watched = new Set<number>();

  constructor(
    private readonly addressSpace: AddressSpace,
    private readonly namespaces: EndpointNamespaces,
    private readonly bindings: MirrorBindings,
  ) {}

  /** How many nodes the endpoint has created. */
  get size(): number {
    return this.nodes.size;
  }

  /**
   * Adds the upstream's nodes that are not mirrored yet; resolves to how many were added. Those
   * whose parent has been browsed already (Objects, or a node whose children are created) are
   * created now, in slices between which the engine's other work (values, clients, other pairs)
   * goes on: creating a node costs node-opcua about a quarter of a millisecond.
   */
  async extend(upstream: UpstreamNamespace): Promise<number> {
    this.namespaces.adopt(upstream.namespaceUris);
    for (const uri of upstream.namespaceUris.slice(1)) this.watch(this.namespaces.indexOf(uri));
    const added = upstream.nodes.filter((node) => !node.key.startsWith(UNKNOWN_KEY) && !this.nodes.has(node.key) && !this.described.has(node.key));
    for (const node of added) {
      this.described.set(node.key, node);
      for (const p of node.parents) {
        listIn(this.children, p.parent).push(node.key);
        listIn(this.named, namedKey(p.parent, node.browseName.name)).push(node.key);
      }
    }
    await inSlices(added, (node) => {
      if (node.parents.some((p) => this.childrenShown(p.parent))) this.materialize(node.key);
    });
    return added.length;
  }

  /**
   * Has the server's services find nodes not created yet. Those a Read or a CreateMonitoredItems
   * names are created before node-opcua handles it, in slices (an HMI's first subscription may name
   * thousands), those of a browse path as it is translated; any other lookup creates its node then.
   */
  attach(server: OPCUAServer): void {
    beforeRead(server.engine, (nodeIds) => this.prepare(nodeIds));
    beforeCreateMonitoredItems(server, (nodeIds) => this.prepare(nodeIds));
    beforeTranslateBrowsePath(server.engine, (browsePath) => this.prepareBrowsePath(browsePath));
  }

  /** Looks the nodes up, which creates those not created yet (see watch). */
  private prepare(nodeIds: NodeId[]): Promise<void> {
    return inSlices(nodeIds, (nodeId) => this.addressSpace.findNode(nodeId));
  }

  /**
   * Creates the nodes a browse path goes through (by browse name), so that node-opcua can follow
   * it: clients translate paths to nodes they have never browsed.
   */
  private prepareBrowsePath(browsePath: BrowsePath): void {
    let at = [this.addressSpace.findNode(browsePath.startingNode)].filter((n): n is BaseNode => !!n);
    for (const element of browsePath.relativePath.elements ?? []) {
      const name = element.targetName?.name;
      if (!name) return;
      at = at.flatMap((node) => (this.named.get(namedKey(this.keyOf(node), name)) ?? []).map((key) => this.materialize(key)).filter((n): n is BaseNode => !!n));
    }
  }

  /** Parents before children: node-opcua creates a node below an existing parent. */
  private materialize(key: string): BaseNode | undefined {
    const known = this.nodes.get(key);
    if (known) return known;
    const node = this.described.get(key);
    if (!node || this.creating.has(key)) return undefined;
    this.creating.add(key);
    try {
      for (const p of node.parents) this.materialize(p.parent);
      const created = this.tryCreate(node);
      this.described.delete(key);
      if (!created) return undefined;
      this.nodes.set(key, created);
      if (node.nodeClass === NodeClass.Object) {
        if (this.children.has(key)) created.onFirstBrowseAction = () => this.createChildren(key);
      } else {
        // A method's arguments and a variable's properties (EURange for a percent deadband): node-opcua reads them itself.
        for (const child of this.children.get(key) ?? []) this.materialize(child);
      }
      return created;
    } finally {
      this.creating.delete(key);
    }
  }

  /** node-opcua runs this before the node's first Browse, and answers the Browse once it resolves. */
  private createChildren(key: string): Promise<void> {
    // Children that another side's read adds meanwhile join this array and are created too.
    return inSlices(listIn(this.children, key), (child) => this.materialize(child));
  }

  /** Whether a client may have listed the node's children already: a node of the endpoint's own (Objects), or a created node browsed since. */
  private childrenShown(parent: string): boolean {
    const node = this.endpointNode(parent);
    return !!node && !node.onFirstBrowseAction;
  }

  /** The node of that key the endpoint serves now: a created one, or one of its own (Objects: a key in the standard namespace). */
  private endpointNode(key: string): BaseNode | undefined {
    // Any other key by URI is a node described and not created yet, or one node-opcua refused.
    return this.nodes.get(key) ?? (namesNamespaceUri(key) ? undefined : (this.addressSpace.findNode(key) ?? undefined));
  }

  private keyOf(node: BaseNode): string {
    return this.namespaces.identityOf(node.nodeId) ?? node.nodeId.toString();
  }

  /** Nodes of the namespace that node-opcua looks up and lacks are created then, if the upstream has them. */
  private watch(index: number): void {
    if (this.watched.has(index)) return;
    this.watched.add(index);
    createOnLookup(this.addressSpace.getNamespace(index), (nodeId) => {
      if (this.described.size === 0) return null;
      const key = this.namespaces.identityOf(nodeId);
      return (key && this.materialize(key)) || null;
    });
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
      .map((p) => ({ parent: this.endpointNode(p.parent), referenceTypeId: p.referenceTypeId }))
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

/** Runs `each` on the items (an array that grows meanwhile included), letting the event loop run every SLICE_MS. */
async function inSlices<T>(items: Iterable<T>, each: (item: T) => void): Promise<void> {
  let sliceStarted = Date.now();
  for (const item of items) {
    if (Date.now() - sliceStarted >= SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStarted = Date.now();
    }
    each(item);
  }
}

/** The map's list for the key, made empty if it has none. */
function listIn(map: Map<string, string[]>, key: string): string[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function namedKey(parent: string, browseName: string): string {
  return `${parent}\n${browseName}`;
}
