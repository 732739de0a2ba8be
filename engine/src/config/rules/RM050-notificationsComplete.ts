import { attribute, childElements } from "../xmlTree";
import { valueSpan, type Rule } from "./rule";

export const RM050: Rule = {
  code: "RM050",
  severity: "error",
  summary: "Enabled notifications have a primary SMTP server, a sender and at least one recipient.",
  check(doc) {
    const notifications = doc.tree.root && childElements(doc.tree.root, "notifications")[0];
    const enabled = notifications && attribute(notifications, "enabled");
    if (!notifications || enabled?.value !== "true") return [];
    const missing: string[] = [];
    if (!childElements(notifications, "smtp").some((s) => attribute(s, "role")?.value === "primary")) missing.push('a primary SMTP server (<smtp role="primary">)');
    if (!attribute(notifications, "from")) missing.push("a sender (from)");
    if (childElements(notifications, "to").length === 0) missing.push("a recipient (<to>)");
    if (missing.length === 0) return [];
    const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(", ")} and ${missing[missing.length - 1]}`;
    return [{ span: valueSpan(enabled), message: `notifications are enabled but lack ${list}` }];
  },
};
