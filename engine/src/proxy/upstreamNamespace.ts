import {
  AttributeIds,
  BrowseDirection,
  makeNodeId,
  NodeClass,
  NodeId,
  ObjectIds,
  ReferenceTypeIds,
  type BrowseDescriptionOptions,
  type BrowseResult,
  type ClientSession,
  type DataValue,
  type LocalizedText,
  type ReadValueIdOptions,
  type ReferenceDescription,
} from "node-opcua";
import { identityIn } from "../namespaces/namespaceIdentity";
import { chunks, readOperationLimits } from "../upstream/operationLimits";

/**
 * One node of an upstream server's address space below Objects, keyed by its identity
 * (`nsu=<uri>;<identifier>`, namespaces/namespaceIdentity.ts), so that two servers whose
 * namespace tables differ in order still describe the same node by the same key.
 */
export interface UpstreamNode {
  key: string;
  nodeId: NodeId;
  nodeClass: NodeClass.Object | NodeClass.Variable | NodeClass.Method;
  /** Parents (key, or the ns=0 NodeId string) and the hierarchical reference from each. */
  parents: { parent: string; referenceTypeId: NodeId }[];
  browseName: { name: string; namespaceUri: string };
  displayName: LocalizedText;
  description?: LocalizedText;
  typeDefinition: NodeId;
  /** Variables only. */
  variable?: {
    dataType: NodeId;
    valueRank: number;
    arrayDimensions?: number[];
    accessLevel: number;
    userAccessLevel: number;
    historizing: boolean;
    minimumSamplingInterval: number;
    value: DataValue;
  };
  /** Objects only. */
  eventNotifier?: number;
}

export interface UpstreamNamespace {
  /** The upstream's namespace table (index 0 is the standard namespace). */
  namespaceUris: string[];
  /** Parents before children. */
  nodes: UpstreamNode[];
}

const NODE_CLASSES = NodeClass.Object | NodeClass.Variable | NodeClass.Method;
const ALL_RESULT_FIELDS = 0x3f;

/** The namespace-independent key of a NodeId of the upstream: its identity, or `unknown:…` for an index its own table lacks. */
export function nodeKey(nodeId: NodeId, namespaceUris: readonly string[]): string {
  return identityIn(nodeId.toString(), namespaceUris) ?? `${UNKNOWN_KEY}${nodeId.toString()}`;
}

/** The prefix of the key of a node whose namespace index the upstream's own table lacks: such a node is not mirrored. */
export const UNKNOWN_KEY = "unknown:";

/**
 * Reads everything below the upstream's Objects folder that lies outside the standard namespace
 * (the proxy serves its own Server object), in chunks within the upstream's operation limits
 * and following continuation points.
 */
export async function readUpstreamNamespace(session: ClientSession): Promise<UpstreamNamespace> {
  const namespaceUris = await session.readNamespaceArray();
  const limits = await readOperationLimits(session);
  const nodes = new Map<string, UpstreamNode>();
  const ordered: UpstreamNode[] = [];
  let frontier: { key: string; nodeId: NodeId }[] = [{ key: nodeKey(makeNodeId(ObjectIds.ObjectsFolder), namespaceUris), nodeId: makeNodeId(ObjectIds.ObjectsFolder) }];

  while (frontier.length > 0) {
    const found: UpstreamNode[] = [];
    for (const chunk of chunks(frontier, limits.browse)) {
      const results = await browseAll(
        session,
        chunk.map((n) => browseChildren(n.nodeId)),
        limits.browse,
      );
      results.forEach((references, i) => {
        for (const ref of references) {
          if (ref.nodeId.serverIndex !== 0 || ref.nodeId.namespace === 0) continue;
          const nodeId = new NodeId(ref.nodeId.identifierType, ref.nodeId.value, ref.nodeId.namespace);
          const key = nodeKey(nodeId, namespaceUris);
          const link = { parent: chunk[i].key, referenceTypeId: ref.referenceTypeId };
          const known = nodes.get(key);
          if (known) {
            if (!known.parents.some((p) => p.parent === link.parent)) known.parents.push(link);
            continue;
          }
          const node = describeReference(ref, nodeId, key, link, namespaceUris);
          nodes.set(key, node);
          found.push(node);
        }
      });
    }
    await readAttributes(session, found, limits.read);
    ordered.push(...found);
    frontier = found.map((n) => ({ key: n.key, nodeId: n.nodeId }));
  }
  return { namespaceUris, nodes: ordered };
}

function describeReference(ref: ReferenceDescription, nodeId: NodeId, key: string, link: UpstreamNode["parents"][number], namespaceUris: string[]): UpstreamNode {
  return {
    key,
    nodeId,
    nodeClass: ref.nodeClass as UpstreamNode["nodeClass"],
    parents: [link],
    browseName: { name: ref.browseName.name ?? "", namespaceUri: namespaceUris[ref.browseName.namespaceIndex] ?? "" },
    displayName: ref.displayName,
    typeDefinition: new NodeId(ref.typeDefinition.identifierType, ref.typeDefinition.value, ref.typeDefinition.namespace),
  };
}

function browseChildren(nodeId: NodeId): BrowseDescriptionOptions {
  return {
    nodeId,
    browseDirection: BrowseDirection.Forward,
    referenceTypeId: ReferenceTypeIds.HierarchicalReferences,
    includeSubtypes: true,
    nodeClassMask: NODE_CLASSES,
    resultMask: ALL_RESULT_FIELDS,
  };
}

/** Browses, then follows each continuation point with BrowseNext until the references are complete. */
async function browseAll(session: ClientSession, descriptions: BrowseDescriptionOptions[], chunk: number): Promise<ReferenceDescription[][]> {
  const results: BrowseResult[] = await session.browse(descriptions);
  const references = results.map((r) => [...(r.references ?? [])]);
  let pending = results.map((r, i) => ({ i, point: r.continuationPoint })).filter((p) => p.point && p.point.length > 0);
  while (pending.length > 0) {
    const next: typeof pending = [];
    for (const part of chunks(pending, chunk)) {
      const more = await session.browseNext(
        part.map((p) => p.point!),
        false,
      );
      more.forEach((r, j) => {
        references[part[j].i].push(...(r.references ?? []));
        if (r.continuationPoint && r.continuationPoint.length > 0) next.push({ i: part[j].i, point: r.continuationPoint });
      });
    }
    pending = next;
  }
  return references;
}

const VARIABLE_ATTRIBUTES = [
  AttributeIds.Description,
  AttributeIds.DataType,
  AttributeIds.ValueRank,
  AttributeIds.ArrayDimensions,
  AttributeIds.AccessLevel,
  AttributeIds.UserAccessLevel,
  AttributeIds.Historizing,
  AttributeIds.MinimumSamplingInterval,
  AttributeIds.Value,
];

async function readAttributes(session: ClientSession, nodes: UpstreamNode[], chunk: number): Promise<void> {
  const requests: { node: UpstreamNode; attributeId: AttributeIds }[] = [];
  for (const node of nodes) {
    const attributes =
      node.nodeClass === NodeClass.Variable ? VARIABLE_ATTRIBUTES : node.nodeClass === NodeClass.Object ? [AttributeIds.Description, AttributeIds.EventNotifier] : [AttributeIds.Description];
    for (const attributeId of attributes) requests.push({ node, attributeId });
  }
  const values: DataValue[] = [];
  for (const part of chunks(requests, chunk)) {
    values.push(...(await session.read(part.map((r): ReadValueIdOptions => ({ nodeId: r.node.nodeId, attributeId: r.attributeId })))));
  }
  requests.forEach(({ node, attributeId }, i) => applyAttribute(node, attributeId, values[i]));
}

function applyAttribute(node: UpstreamNode, attributeId: AttributeIds, dataValue: DataValue): void {
  const good = dataValue.statusCode.isGood();
  const value = dataValue.value?.value;
  if (attributeId === AttributeIds.Description) {
    if (good && value?.text) node.description = value;
    return;
  }
  if (attributeId === AttributeIds.EventNotifier) {
    node.eventNotifier = good ? Number(value) : 0;
    return;
  }
  const v = (node.variable ??= {
    dataType: makeNodeId(24),
    valueRank: -1,
    accessLevel: 1,
    userAccessLevel: 1,
    historizing: false,
    minimumSamplingInterval: 0,
    value: dataValue,
  });
  if (attributeId === AttributeIds.Value) v.value = dataValue;
  else if (!good) return;
  else if (attributeId === AttributeIds.DataType) v.dataType = value as NodeId;
  else if (attributeId === AttributeIds.ValueRank) v.valueRank = Number(value);
  else if (attributeId === AttributeIds.ArrayDimensions) v.arrayDimensions = value ? Array.from(value as ArrayLike<number>) : undefined;
  else if (attributeId === AttributeIds.AccessLevel) v.accessLevel = Number(value);
  else if (attributeId === AttributeIds.UserAccessLevel) v.userAccessLevel = Number(value);
  else if (attributeId === AttributeIds.Historizing) v.historizing = value === true;
  else if (attributeId === AttributeIds.MinimumSamplingInterval) v.minimumSamplingInterval = Number(value);
}
