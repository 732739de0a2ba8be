import type { DataTypeName } from "../config/model";

/** A specificValue trigger's data: a scalar, or a list compared element-wise. */
export type TriggerScalar = string | number | boolean | null;
export type TriggerValue = TriggerScalar | TriggerScalar[];

const NUMERIC = new Set(["SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Int64", "UInt64", "Float", "Double"]);

/**
 * Reads trigger data JSON-style (`true`, `1`, `"text"`, `[1,2]`); text that is not JSON is taken
 * as a string. A requested data type coerces it the way the server's value will come:
 * `1` for a Boolean item means true, `"5"` for a numeric item means 5, anything for a String item is text.
 */
export function parseTriggerValue(text: string, dataType?: DataTypeName): TriggerValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  if (dataType === "String" && typeof parsed !== "string" && !Array.isArray(parsed)) parsed = text.trim();
  const coerce = (v: unknown): TriggerScalar => {
    if (dataType === "Boolean" && (typeof v === "number" || typeof v === "string")) return v === 1 || v === "1" || v === "true";
    if (dataType && NUMERIC.has(dataType) && typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
    return JSON.stringify(v);
  };
  return Array.isArray(parsed) ? parsed.map(coerce) : coerce(parsed);
}

/** Whether a server value equals one trigger scalar: numbers and booleans by number, text by text, dates by time. */
export function matchesScalar(value: unknown, target: TriggerScalar): boolean {
  if (value === undefined) return false;
  if (value === null || target === null) return value === target;
  if (typeof value === "bigint") value = Number(value);
  if (value instanceof Date) return typeof target === "string" ? value.getTime() === Date.parse(target) : value.getTime() === target;
  if ((typeof value === "number" || typeof value === "boolean") && (typeof target === "number" || typeof target === "boolean")) {
    return Number(value) === Number(target);
  }
  if (typeof target === "string") return String(value) === target;
  return false;
}
