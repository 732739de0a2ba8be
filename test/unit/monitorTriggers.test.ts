import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataType, DataValue, StatusCodes, Variant, VariantArrayType } from "node-opcua";
import type { MonitorItemConfig } from "../../engine/src/config/model";
import { planItem } from "../../engine/src/monitor/monitorPlan";
import { judgeQuality, judgeValue } from "../../engine/src/monitor/triggers";
import { parseTriggerValue } from "../../engine/src/monitor/triggerValue";

const config = (over: Partial<MonitorItemConfig>): MonitorItemConfig => ({ id: "ns=2;s=X", trigger: "specificValue", updateRateMs: 500, ...over });
const dv = (dataType: DataType, value: unknown, arrayType = VariantArrayType.Scalar, statusCode = StatusCodes.Good) =>
  new DataValue({ value: new Variant({ dataType, arrayType, value }), statusCode });

describe("monitor: trigger data", () => {
  it("reads JSON-style values and takes other text as a string", () => {
    assert.equal(parseTriggerValue("true"), true);
    assert.equal(parseTriggerValue("1"), 1);
    assert.equal(parseTriggerValue('"text"'), "text");
    assert.deepEqual(parseTriggerValue("[1,2]"), [1, 2]);
    assert.equal(parseTriggerValue("Tripped"), "Tripped");
  });

  it("coerces to the requested data type", () => {
    assert.equal(parseTriggerValue("1", "Boolean"), true);
    assert.equal(parseTriggerValue('"5"', "Int32"), 5);
    assert.equal(parseTriggerValue("42", "String"), "42");
  });

  it("noDataChange trigger data below 2 × the update rate is raised, and says so", () => {
    const raised = planItem(config({ trigger: "noDataChange", triggerData: "600" }));
    assert.equal(raised.noDataChangeMs, 1000);
    assert.equal(raised.adjusted, true);
    const kept = planItem(config({ trigger: "noDataChange", triggerData: "60000" }));
    assert.equal(kept.noDataChangeMs, 60000);
    assert.equal(kept.adjusted, false);
  });
});

describe("monitor: triggers", () => {
  it("badQuality: Bad is in error, Good and Uncertain are not", () => {
    assert.equal(judgeQuality(dv(DataType.Double, 1, VariantArrayType.Scalar, StatusCodes.BadDeviceFailure)).inError, true);
    assert.equal(judgeQuality(dv(DataType.Double, 1)).inError, false);
    assert.equal(judgeQuality(dv(DataType.Double, 1, VariantArrayType.Scalar, StatusCodes.UncertainLastUsableValue)).inError, false);
  });

  it("specificValue: scalars of each kind", () => {
    const plan = (triggerData: string, dataType?: MonitorItemConfig["dataType"]) => planItem(config({ triggerData, dataType }));
    assert.equal(judgeValue(plan("true"), dv(DataType.Boolean, true)).inError, true);
    assert.equal(judgeValue(plan("true"), dv(DataType.Boolean, false)).inError, false);
    assert.equal(judgeValue(plan("1"), dv(DataType.Boolean, true)).inError, true, "1 and true are the same reading");
    assert.equal(judgeValue(plan("2.5"), dv(DataType.Double, 2.5)).inError, true);
    assert.equal(judgeValue(plan('"Fault"'), dv(DataType.String, "Fault")).inError, true);
    assert.equal(judgeValue(plan("7"), dv(DataType.Int64, [0, 7])).inError, true, "64-bit values come as [high, low]");
    assert.equal(judgeValue(plan("7"), dv(DataType.Int32, 8)).inError, false);
  });

  it("specificValue: arrays element-wise; an array against scalar trigger data cannot be judged", () => {
    const list = planItem(config({ triggerData: "[1,2,3]" }));
    assert.equal(judgeValue(list, dv(DataType.Int32, new Int32Array([1, 2, 3]), VariantArrayType.Array)).inError, true);
    assert.equal(judgeValue(list, dv(DataType.Int32, new Int32Array([1, 2, 4]), VariantArrayType.Array)).inError, false);
    assert.equal(judgeValue(list, dv(DataType.Int32, 1)).inError, false);
    const verdict = judgeValue(planItem(config({ triggerData: "1" })), dv(DataType.Int32, new Int32Array([1]), VariantArrayType.Array));
    assert.deepEqual({ inError: verdict.inError, arrayData: verdict.arrayData }, { inError: true, arrayData: true });
  });

  it("odd values from a server never throw", () => {
    const plan = planItem(config({ triggerData: "1" }));
    assert.equal(judgeValue(plan, new DataValue()).inError, false);
    assert.equal(judgeValue(plan, dv(DataType.Null, null)).inError, false);
    assert.equal(judgeValue(plan, dv(DataType.DateTime, new Date(1))).inError, true);
  });
});
