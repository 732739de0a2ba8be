import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe as suite, it } from "node:test";
import { RULES, ruleFor } from "../../engine/src/config/rules";
import { config, expectDiagnostics } from "../support/expectDiagnostics";

const README = readFileSync(join(__dirname, "../../README.md"), "utf8");

/** `code → {severity, rule}` of each row of README's "Diagnostic codes" table. */
function readmeCodes(): Map<string, { severity: string; rule: string }> {
  const section = README.split(/^## /m).find((s) => s.startsWith("Diagnostic codes"));
  assert.ok(section, 'README has a "## Diagnostic codes" section');
  const rows = new Map<string, { severity: string; rule: string }>();
  for (const m of section.matchAll(/^\|[^|]*?(RM\d{3}) \| (\w+) \| (.*) \|$/gm)) rows.set(m[1], { severity: m[2], rule: m[3] });
  return rows;
}

suite("rule registry", () => {
  it("lists each code once, in code order", () => {
    const codes = RULES.map((r) => r.code);
    assert.deepEqual(codes, [...codes].sort());
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^RM\d{3}$/);
  });

  it("has every code of DESIGN.md's table", () => {
    const design = ["RM001", "RM002", "RM003", "RM010", "RM011", "RM012", "RM013", "RM020", "RM021", "RM022", "RM023", "RM030", "RM031", "RM040", "RM050", "RM051", "RM060", "RM061", "RM070", "RM071"];
    for (const code of design) assert.ok(ruleFor(code), `${code} is registered`);
  });

  it("reserves RM061, the live check, as a warning that offline validation never reports", () => {
    const rule = ruleFor("RM061")!;
    assert.equal(rule.severity, "warning");
    expectDiagnostics(config('<monitoring><item id="ns=9;s=Nowhere" trigger="badQuality"/></monitoring>'), []);
  });

  it("gives each rule a one-line summary", () => {
    for (const rule of RULES) assert.match(rule.summary, /^\S.*\.$/, rule.code);
  });
});

suite("README's diagnostic codes table", () => {
  it("has a row for every rule, with the rule's severity and summary", () => {
    const rows = readmeCodes();
    for (const rule of RULES) {
      const row = rows.get(rule.code);
      assert.ok(row, `README has no row for ${rule.code}`);
      assert.equal(row.severity, rule.severity, `severity of ${rule.code}`);
      // README may set code in backticks; the summary is plain text.
      assert.equal(row.rule.replace(/`/g, ""), rule.summary, `README's rule text of ${rule.code}`);
    }
  });

  it("has no row for a code that no rule owns", () => {
    for (const code of readmeCodes().keys()) assert.ok(ruleFor(code), `README lists ${code}, which no rule owns`);
  });

  it("anchors each row, so that a diagnostic can link to its rule", () => {
    for (const rule of RULES) assert.ok(README.includes(`<a id="${rule.code.toLowerCase()}"></a>${rule.code}`), rule.code);
  });
});
