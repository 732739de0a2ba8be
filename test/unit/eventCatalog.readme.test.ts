import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe as suite, it } from "node:test";
import { EVENT_KINDS } from "../../engine/src/events/catalog";

const README = readFileSync(join(__dirname, "../../README.md"), "utf8");

/** `id → {severity, when}` of each row of the table in README's "Event log" section. */
function readmeEvents(): Map<string, { severity: string; when: string }> {
  const section = README.split(/^### /m).find((s) => s.startsWith("Event log"));
  assert.ok(section, 'README has a "### Event log" section');
  const rows = new Map<string, { severity: string; when: string }>();
  for (const line of section.split("\n")) {
    const m = /^\| `([\w.<>]+)` \| (\w+) \| (.+) \|$/.exec(line);
    if (m) rows.set(m[1], { severity: m[2], when: m[3] });
  }
  return rows;
}

suite("README's runtime event table", () => {
  it("has a row for every event of the catalog, with its severity and what it means", () => {
    const rows = readmeEvents();
    for (const kind of EVENT_KINDS) {
      const id = kind.perSide ? `${kind.kind}.<side>` : kind.kind;
      assert.deepEqual(rows.get(id), { severity: kind.severity, when: kind.doc }, id);
    }
    assert.equal(rows.size, EVENT_KINDS.length, "and no row for an event the catalog lacks");
  });
});
