import { ContentFilter, ContentFilterElement, DataType, EventFilter, ExpandedNodeId, LiteralOperand, NodeId, QualifiedName, SimpleAttributeOperand, Variant, VariantArrayType } from "node-opcua";

type IndexMap = (index: number) => number;

/**
 * An event filter of a downstream item, rewritten for an upstream session: the NodeIds and
 * browse names it holds (an event type, a vendor field's name, a NodeId compared in a where
 * clause) name namespaces by index, and the two tables differ. Standard-namespace filters, the
 * usual case, come out unchanged.
 */
export function eventFilterFor(filter: EventFilter, toUpstream: IndexMap): EventFilter {
  return new EventFilter({
    selectClauses: (filter.selectClauses ?? []).map((clause) => mapOperand(clause, toUpstream)),
    whereClause: new ContentFilter({
      elements: (filter.whereClause?.elements ?? []).map(
        (element) =>
          new ContentFilterElement({
            filterOperator: element.filterOperator,
            filterOperands: (element.filterOperands ?? []).map((operand) => {
              if (operand instanceof SimpleAttributeOperand) return mapOperand(operand, toUpstream);
              if (operand instanceof LiteralOperand) return new LiteralOperand({ value: mapVariant(operand.value, toUpstream) });
              return operand;
            }),
          }),
      ),
    }),
  });
}

/** An upstream event's fields with the NodeIds they carry (EventType, SourceNode, ConditionId …) in the proxy's namespaces. */
export function eventFieldsFor(fields: Variant[], toProxy: IndexMap): Variant[] {
  return fields.map((field) => mapVariant(field, toProxy));
}

function mapOperand(operand: SimpleAttributeOperand, map: IndexMap): SimpleAttributeOperand {
  return new SimpleAttributeOperand({
    typeDefinitionId: mapNodeId(operand.typeDefinitionId, map),
    browsePath: (operand.browsePath ?? []).map((name) => new QualifiedName({ name: name.name, namespaceIndex: map(name.namespaceIndex) })),
    attributeId: operand.attributeId,
    indexRange: operand.indexRange,
  });
}

function mapVariant(variant: Variant, map: IndexMap): Variant {
  if (variant.dataType !== DataType.NodeId && variant.dataType !== DataType.ExpandedNodeId) return variant;
  const value = variant.arrayType === VariantArrayType.Scalar ? mapNodeId(variant.value as NodeId, map) : (variant.value as NodeId[]).map((nodeId) => mapNodeId(nodeId, map));
  return new Variant({ dataType: variant.dataType, arrayType: variant.arrayType, value });
}

function mapNodeId<T extends NodeId>(nodeId: T, map: IndexMap): T {
  if (!nodeId || nodeId.namespace === 0 || (nodeId instanceof ExpandedNodeId && (nodeId.namespaceUri || nodeId.serverIndex))) return nodeId;
  const namespace = map(nodeId.namespace);
  return (nodeId instanceof ExpandedNodeId ? new ExpandedNodeId(nodeId.identifierType, nodeId.value, namespace) : new NodeId(nodeId.identifierType, nodeId.value, namespace)) as T;
}
