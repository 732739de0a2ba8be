import { anchored, EMAIL_PATTERN } from "../patterns";
import { attribute, childElements } from "../xmlTree";
import { shown, valueSpan, type Finding, type Rule } from "./rule";

const EMAIL = anchored(EMAIL_PATTERN);

export function isEmailAddress(value: string): boolean {
  return EMAIL.test(value);
}

export const RM051: Rule = {
  code: "RM051",
  severity: "error",
  summary: "Sender and recipients are well-formed e-mail addresses.",
  check(doc) {
    const notifications = doc.tree.root && childElements(doc.tree.root, "notifications")[0];
    if (!notifications) return [];
    const findings: Finding[] = [];
    const from = attribute(notifications, "from");
    if (from && !isEmailAddress(from.value)) findings.push({ span: valueSpan(from), message: `from '${shown(from.value)}' is not an e-mail address such as alerts@example.com` });
    for (const to of childElements(notifications, "to")) {
      if (!isEmailAddress(to.text)) {
        findings.push({
          span: to.textSpan ?? to.nameSpan,
          message: to.text ? `recipient '${shown(to.text)}' is not an e-mail address such as ops@example.com` : "<to> is empty: give one e-mail address",
        });
      }
    }
    return findings;
  },
};
