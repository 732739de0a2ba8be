import { DataValue, StatusCodes, type HistoryReadFunc, type ISessionContext, type NumericRange, type StatusCode, type StatusCodeCallback, type UAVariable, type Variant } from "node-opcua";

/**
 * node-opcua 2.186's UAVariableImpl (node-opcua-address-space, impl/ua_variable_impl.js): the
 * cached value `$dataValue`, `verifyVariantCompatibility`, `writeValue` and `_historyRead`, none
 * of them on the UAVariable interface.
 */
interface VariableInternals {
  $dataValue: DataValue;
  verifyVariantCompatibility(value: Variant): void;
  writeValue(context: ISessionContext, dataValue: DataValue, indexRange: NumericRange | null, callback: StatusCodeCallback): void;
  _historyRead: HistoryReadFunc;
}

/** The variable's cached DataValue itself (not a copy): handing it back to node-opcua tells it nothing changed. */
export function cachedValue(variable: UAVariable): DataValue {
  return (variable as unknown as VariableInternals).$dataValue;
}

/**
 * Makes a value the variable's cache without a change event, so that node-opcua's own monitored
 * items do not sample it (the endpoint pushes values to them, see PushedValues). A value whose
 * type does not fit the variable (the upstream changed its type) becomes BadTypeMismatch with the
 * last value kept, never an exception. Returns what the cache holds now.
 */
export function adoptValue(variable: UAVariable, value: DataValue): DataValue {
  const internals = variable as unknown as VariableInternals;
  let adopted = value;
  try {
    if (value.statusCode.isGoodish()) internals.verifyVariantCompatibility(value.value);
  } catch {
    adopted = new DataValue({ value: internals.$dataValue.value, statusCode: StatusCodes.BadTypeMismatch, sourceTimestamp: new Date(), serverTimestamp: new Date() });
  }
  internals.$dataValue = adopted;
  return adopted;
}

/**
 * Replaces the variable's Write: node-opcua's setters record the written value locally even when
 * the upstream refuses it, so the write goes upstream alone and its status is the answer (`write`
 * never rejects: a failure is its status).
 */
export function forwardWrites(variable: UAVariable, write: (context: ISessionContext, dataValue: DataValue, indexRange: NumericRange | null) => Promise<StatusCode>): void {
  (variable as unknown as VariableInternals).writeValue = (context, dataValue, indexRange, callback) => {
    void write(context, dataValue, indexRange).then((status) => callback(null, status));
  };
}

/** Replaces the variable's history read (call it after bindVariable, which resets it to node-opcua's default). */
export function forwardHistoryReads(variable: UAVariable, read: HistoryReadFunc): void {
  (variable as unknown as VariableInternals)._historyRead = read;
}
