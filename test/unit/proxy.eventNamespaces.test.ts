import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataType, FilterOperator, LiteralOperand, NodeId, ObjectTypeIds, SimpleAttributeOperand, Variant, VariantArrayType, constructEventFilter, makeNodeId } from "node-opcua";
import { eventFieldsFor, eventFilterFor } from "../../engine/src/proxy/eventNamespaces";

// The proxy's namespace 3 is the upstream's 2 (and back); namespace 0 is the same everywhere.
const toUpstream = (index: number) => (index === 3 ? 2 : index);
const toProxy = (index: number) => (index === 2 ? 3 : index);

describe("event filters and fields across namespace tables", () => {
  it("leaves a standard filter as it was", () => {
    const filter = constructEventFilter(["EventId", "SourceName", "AckedState.Id", "ConditionId"]);
    const mapped = eventFilterFor(filter, toUpstream);
    assert.deepEqual(mapped.toJSON(), filter.toJSON());
  });

  it("maps a vendor field's browse name, a vendor event type and a NodeId compared in the where clause", () => {
    const filter = constructEventFilter([["SourceName"], [{ namespaceIndex: 3, name: "BatchId" }]], {
      elements: [
        {
          filterOperator: FilterOperator.OfType,
          filterOperands: [new LiteralOperand({ value: new Variant({ dataType: DataType.NodeId, value: new NodeId(NodeId.NodeIdType.NUMERIC, 5001, 3) }) })],
        },
      ],
    });
    filter.selectClauses![0] = new SimpleAttributeOperand({ ...filter.selectClauses![0], typeDefinitionId: new NodeId(NodeId.NodeIdType.NUMERIC, 5001, 3) });
    const mapped = eventFilterFor(filter, toUpstream);
    assert.equal(mapped.selectClauses![0].typeDefinitionId.toString(), "ns=2;i=5001");
    assert.equal(mapped.selectClauses![1].browsePath![0].toString(), "2:BatchId");
    const literal = mapped.whereClause!.elements![0].filterOperands![0] as LiteralOperand;
    assert.equal(literal.value.value.toString(), "ns=2;i=5001");
    assert.equal(filter.selectClauses![1].browsePath![0].toString(), "3:BatchId", "the client's own filter is left untouched");
  });

  it("maps the NodeIds an event carries back into the proxy's namespaces, other fields as they are", () => {
    const fields = [
      new Variant({ dataType: DataType.ByteString, value: Buffer.from("id") }),
      new Variant({ dataType: DataType.NodeId, value: makeNodeId(ObjectTypeIds.ExclusiveLimitAlarmType) }),
      new Variant({ dataType: DataType.NodeId, value: NodeId.resolveNodeId("ns=2;s=Tank.LevelAlarm") }),
      new Variant({ dataType: DataType.NodeId, arrayType: VariantArrayType.Array, value: [NodeId.resolveNodeId("ns=2;s=A"), NodeId.resolveNodeId("ns=1;s=B")] }),
      new Variant({ dataType: DataType.String, value: "2:Tank" }),
      new Variant({ dataType: DataType.Null }),
    ];
    const mapped = eventFieldsFor(fields, toProxy);
    assert.deepEqual(
      mapped.map((f) => String(f.value)),
      ["id", "ns=0;i=9341", "ns=3;s=Tank.LevelAlarm", "ns=3;s=A,ns=1;s=B", "2:Tank", "null"],
    );
  });
});
