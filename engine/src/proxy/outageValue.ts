import { DataType, DataValue, type UAVariable } from "node-opcua";
import { cachedValue } from "../opcuaInternals";

/**
 * What clients see of a mirrored variable when the pair has no value for it (no side active, a
 * refused item, a failed read): the Bad status, with the variable's last value kept, so that its
 * type stays what clients were told (a Null value would read as a type change).
 */
export function keepType(variable: UAVariable, value: DataValue): DataValue {
  if (value.statusCode.isGood() || value.value.dataType !== DataType.Null) return value;
  return new DataValue({ value: cachedValue(variable).value, statusCode: value.statusCode, sourceTimestamp: value.sourceTimestamp });
}
