import type { DataValue, Variant } from "node-opcua";

/** When the value was produced: source timestamp, else server timestamp, else now. */
export function sourceTime(value: DataValue): number {
  const time = value.sourceTimestamp ?? value.serverTimestamp;
  return time ? time.getTime() : Date.now();
}

/** Same status and same value (arrays element-wise). */
export function sameReading(a: DataValue, b: DataValue): boolean {
  return a.statusCode.value === b.statusCode.value && sameVariant(a.value, b.value);
}

function sameVariant(a: Variant, b: Variant): boolean {
  if (a.dataType !== b.dataType || a.arrayType !== b.arrayType) return false;
  const x = a.value as unknown;
  const y = b.value as unknown;
  if (x === y) return true;
  if (isList(x) && isList(y)) return x.length === y.length && Array.from(x).every((v, i) => sameScalar(v, (y as ArrayLike<unknown>)[i]));
  return sameScalar(x, y);
}

function isList(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

function sameScalar(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (x instanceof Date && y instanceof Date) return x.getTime() === y.getTime();
  if (x && y && typeof x === "object" && typeof y === "object" && "toString" in x) return String(x) === String(y);
  return false;
}
