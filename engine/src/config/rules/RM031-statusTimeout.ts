import { attributeSpec } from "../format";
import { attribute, childElements } from "../xmlTree";
import { intValue, servers, valueSpan, type Rule } from "./rule";

const DEFAULT_INTERVAL = Number(attributeSpec("connection", "statusIntervalMs")!.default);
const DEFAULT_TIMEOUT = Number(attributeSpec("connection", "statusTimeoutMs")!.default);

export const RM031: Rule = {
  code: "RM031",
  severity: "warning",
  summary: "statusTimeoutMs is below statusIntervalMs, so one status query ends before the next starts.",
  check: (doc) =>
    servers(doc)
      .flatMap((s) => childElements(s, "connection"))
      .flatMap((connection) => {
        const interval = intValue(connection, "statusIntervalMs") ?? DEFAULT_INTERVAL;
        const timeout = intValue(connection, "statusTimeoutMs") ?? DEFAULT_TIMEOUT;
        if (timeout < interval) return [];
        const at = attribute(connection, "statusTimeoutMs") ?? attribute(connection, "statusIntervalMs");
        return [
          {
            span: at ? valueSpan(at) : connection.nameSpan,
            message: `statusTimeoutMs (${timeout}) should be below statusIntervalMs (${interval})`,
          },
        ];
      }),
};
