import { attribute } from "../xmlTree";
import { servers, shown, valueSpan, type Rule } from "./rule";

export const RM010: Rule = {
  code: "RM010",
  severity: "error",
  summary: "An alias must not contain <, > or &.",
  check: (doc) =>
    servers(doc).flatMap((server) => {
      const alias = attribute(server, "alias");
      if (!alias || !/[<>&]/.test(alias.value)) return [];
      const cleaned = alias.value.replace(/[<>&]/g, "");
      return [{ span: valueSpan(alias), message: `alias '${shown(alias.value)}' must not contain <, > or &`, data: { replacement: cleaned } }];
    }),
};
