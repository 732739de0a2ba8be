import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { EVENT_KINDS } from "../../engine/src/events/catalog";

const README = readFileSync(join(__dirname, "../../README.md"), "utf8");

/** `id → {severity, when}` of each row of README's "Runtime events" table. */
function readmeRows(): Map<string, { severity: string; when: string }> {
  const section = README.split(/^## /m).find((s) => s.startsWith("Runtime events"));
  assert.ok(section, 'README has a "## Runtime events" section');
  const rows = new Map<string, { severity: string; when: string }>();
  for (const line of section.split("\n")) {
    const m = /^\| `([^`]+)` \| (\w+) \| (.*) \|$/.exec(line);
    if (m) rows.set(m[1], { severity: m[2], when: m[3].replace(/\\\|/g, "|") });
  }
  return rows;
}

describe("README's runtime events table", () => {
  it("has a row for every event of the catalog, with its severity and doc", () => {
    const rows = readmeRows();
    for (const kind of EVENT_KINDS) {
      const id = kind.perSide ? `${kind.kind}.<side>` : kind.kind;
      const row = rows.get(id);
      assert.ok(row, `README has no row for ${id}`);
      assert.equal(row.severity, kind.severity, id);
      assert.equal(row.when, kind.doc, id);
    }
  });

  it("lists no event the catalog lacks", () => {
    const ids = new Set(EVENT_KINDS.map((k) => (k.perSide ? `${k.kind}.<side>` : k.kind)));
    for (const id of readmeRows().keys()) assert.ok(ids.has(id), `README lists ${id}, which the catalog lacks`);
  });
});
