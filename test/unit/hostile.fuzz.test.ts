import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe as suite, it } from "node:test";
import { ConfigError, loadConfigText } from "../../engine/src/config/loadConfig";
import { analyzeConfig } from "../../engine/src/config/validate";
import { seededRandom } from "../support/seededRandom";

/**
 * Mutation fuzzing: every valid fixture, cut, spliced and sprinkled with XML's special characters,
 * must still give well-formed diagnostics, and loading must either succeed or throw ConfigError,
 * never another error (which would mean the model builder trusted something validation let through).
 */
const FIXTURES = join(__dirname, "../fixtures/valid");
const MUTATIONS_PER_FIXTURE = 400;
const PIECES = ["<", ">", "/>", "</", '"', "'", "&", "&amp;", "&#0;", "=", " ", "\n", "<item/>", '<server name="x" port="1">', "</server>", "<!--", "-->", "<![CDATA[", "]]>", "\0", "\uFFFF", "🏭"];

function mutate(text: string, next: () => number): string {
  const at = () => Math.floor(next() * (text.length + 1));
  for (let edits = 1 + Math.floor(next() * 4); edits > 0; edits--) {
    const where = at();
    const choice = next();
    if (choice < 0.3) text = text.slice(0, where) + text.slice(where + 1 + Math.floor(next() * 20));
    else if (choice < 0.6) text = text.slice(0, where) + PIECES[Math.floor(next() * PIECES.length)] + text.slice(where);
    else if (choice < 0.8) {
      const from = at();
      text = text.slice(0, where) + text.slice(from, from + Math.floor(next() * 80)) + text.slice(where);
    } else text = text.slice(0, where);
  }
  return text;
}

suite("mutated configs", () => {
  for (const fixture of readdirSync(FIXTURES).filter((f) => f.endsWith(".xml"))) {
    it(`${fixture}: ${MUTATIONS_PER_FIXTURE} mutations, diagnostics always well-formed, loading never fails unexpectedly`, () => {
      const original = readFileSync(join(FIXTURES, fixture), "utf8");
      const next = seededRandom(fixture.length * 7919);
      for (let i = 0; i < MUTATIONS_PER_FIXTURE; i++) {
        const text = mutate(original, next);
        const context = () => `mutation ${i} of ${fixture}:\n${text}`;
        const { diagnostics, lines } = analyzeConfig(text);
        for (const d of diagnostics) {
          assert.match(d.code, /^RM\d{3}$/, context());
          assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length, `${d.code} span ${JSON.stringify(d.span)}: ${context()}`);
          assert.deepEqual(d.range, lines.rangeOf(d.span));
          assert.ok(d.message.length > 0 && !/[\r\n]/.test(d.message), `${d.code} message ${JSON.stringify(d.message)}: ${context()}`);
        }
        try {
          const { config } = loadConfigText(text);
          assert.ok(
            diagnostics.every((d) => d.severity === "warning"),
            context(),
          );
          for (const server of config.servers) assert.ok(server.effectiveName && server.port > 0 && server.primary.url && server.secondary.url, context());
        } catch (err) {
          if (!(err instanceof ConfigError)) assert.fail(`${err instanceof Error ? err.stack : String(err)}\n${context()}`);
          assert.ok(
            diagnostics.some((d) => d.severity === "error"),
            context(),
          );
        }
      }
    });
  }
});
