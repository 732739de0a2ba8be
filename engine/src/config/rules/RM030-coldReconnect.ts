import { attribute, childElements } from "../xmlTree";
import { servers, wholeAttributeSpan, type Rule } from "./rule";

export const RM030: Rule = {
  code: "RM030",
  severity: "warning",
  summary: "Cold mode does not support alwaysReconnectToPrimary.",
  check: (doc) =>
    servers(doc)
      .flatMap((s) => childElements(s, "connection"))
      .flatMap((connection) => {
        const reconnect = attribute(connection, "alwaysReconnectToPrimary");
        if (attribute(connection, "mode")?.value !== "cold" || reconnect?.value !== "true") return [];
        return [{ span: wholeAttributeSpan(reconnect), message: "alwaysReconnectToPrimary is not supported in cold mode and is ignored; use warm or hot mode to fail back" }];
      }),
};
