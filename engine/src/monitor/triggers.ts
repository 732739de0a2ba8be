import { DataType, VariantArrayType, type DataValue } from "node-opcua";
import type { MonitorPlan } from "./monitorPlan";
import { matchesScalar, type TriggerValue } from "./triggerValue";

/** One monitor item's judgement of the latest value it received. */
export interface Verdict {
  inError: boolean;
  reason?: string;
  /** specificValue with scalar trigger data received an array: cannot be compared (posted as monitorItemArrayData). */
  arrayData?: boolean;
}

const OK: Verdict = { inError: false };

/** badQuality: a Bad status puts the item in error; Good or Uncertain clears it. */
export function judgeQuality(value: DataValue): Verdict {
  return value.statusCode.isBad() ? { inError: true, reason: `Bad quality (${value.statusCode.name})` } : OK;
}

/**
 * specificValue: in error while the value equals the trigger data. An array value against
 * scalar trigger data cannot be judged; the item then counts as in error (the seed posts
 * that as an error event: a health check that cannot be evaluated is not a passing one).
 */
export function judgeValue(plan: MonitorPlan, value: DataValue): Verdict {
  const target = plan.target ?? null;
  const raw = nativeValue(value);
  const isList = Array.isArray(raw) || ArrayBuffer.isView(raw);
  if (isList && !Array.isArray(target)) return { inError: true, reason: "array data is not supported for a scalar trigger value", arrayData: true };
  return equalsTarget(raw, target) ? { inError: true, reason: `value is ${describe(target)}` } : OK;
}

function equalsTarget(raw: unknown, target: TriggerValue): boolean {
  if (!Array.isArray(target)) return matchesScalar(raw, target);
  if (!(Array.isArray(raw) || ArrayBuffer.isView(raw))) return false;
  const list = Array.from(raw as ArrayLike<unknown>);
  return list.length === target.length && list.every((v, i) => matchesScalar(v, target[i]));
}

/** The variant's value as JavaScript; node-opcua gives 64-bit integers as [high, low] pairs. */
function nativeValue(value: DataValue): unknown {
  const variant = value.value;
  if (!variant) return undefined;
  const wide = variant.dataType === DataType.Int64 || variant.dataType === DataType.UInt64;
  const toNumber = (pair: unknown) => (Array.isArray(pair) && pair.length === 2 ? pair[0] * 2 ** 32 + pair[1] : pair);
  if (wide && variant.arrayType === VariantArrayType.Scalar) return toNumber(variant.value);
  if (wide && Array.isArray(variant.value)) return variant.value.map(toNumber);
  return variant.value;
}

function describe(target: TriggerValue): string {
  return JSON.stringify(target);
}

export function noDataChangeVerdict(periodMs: number): Verdict {
  return { inError: true, reason: `no data change for ${periodMs} ms` };
}
