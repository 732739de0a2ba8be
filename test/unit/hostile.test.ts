import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe as suite, it } from "node:test";
import { ConfigError, loadConfigText, MAX_CONFIG_BYTES } from "../../engine/src/config/loadConfig";
import { analyzeConfig, type ConfigDiagnostic } from "../../engine/src/config/validate";
import { MAX_DEPTH, MAX_SYNTAX_ERRORS } from "../../engine/src/config/xmlTree";
import { ensureEngineBuilt, runEngineCli } from "../support/engineCli";
import { generatedConfig } from "../support/generatedConfig";
import { randomBytes } from "../support/seededRandom";

/**
 * Hostile input: each case must end in diagnostics or a clear error, never a hang, a crash or a
 * stack overflow. The time bounds are generous (a shared 2-core machine is noisy); they catch a
 * hang or quadratic time, not a slowdown: speed is measured in test/bench/validation.bench.ts.
 */
const BOUND_MS = 15_000;

function analyzeWithin(text: string, boundMs = BOUND_MS): ConfigDiagnostic[] {
  const started = performance.now();
  const { diagnostics } = analyzeConfig(text);
  const ms = performance.now() - started;
  assert.ok(ms < boundMs, `took ${ms.toFixed(0)} ms (bound ${boundMs} ms)`);
  for (const d of diagnostics) assert.ok(!/[\r\n]/.test(d.message) && d.message.length < 600, `${d.code} message is not one short line: ${d.message.slice(0, 200)}`);
  return diagnostics;
}

const PAIR = '<primary url="opc.tcp://a:4840"/><secondary url="opc.tcp://b:4840"/>';

/** A config of more than 10 MB whose one mistake is its last item's id. */
const tenMegabytes = () => generatedConfig(1, 105_000, { lastItemId: "not a node id" });

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
${Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`).join("\n")}
]>
<redundancyMaster version="1"><server name="&lol9;" port="1">${PAIR}</server></redundancyMaster>
`;

/** At most MAX_SYNTAX_ERRORS syntax errors and a last one saying the rest was not read; beside them only what garbage can look like (a root element of some name). */
function assertSyntaxErrorsCapped(diagnostics: ConfigDiagnostic[]) {
  const syntax = diagnostics.filter((d) => d.code === "RM001");
  assert.equal(syntax.length, MAX_SYNTAX_ERRORS + 1);
  assert.equal(syntax.at(-1)!.message, `not well-formed XML: more than ${MAX_SYNTAX_ERRORS} syntax errors; the rest of the file was not read`);
  const others = diagnostics.filter((d) => d.code !== "RM001");
  assert.ok(others.length <= 2, others.map((d) => `${d.code} ${d.message}`).join("\n"));
}

suite("hostile input, in process", () => {
  it("a 10 MB file: its one mistake found", () => {
    const text = tenMegabytes();
    assert.ok(text.length > 10 * 2 ** 20, `${text.length} characters`);
    const diagnostics = analyzeWithin(text);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["RM060"],
    );
    assert.ok(diagnostics[0].range.start.line > 100_000);
  });

  it("elements nested 100 000 deep: reported once, no stack overflow", () => {
    const depth = 100_000;
    const closed = analyzeWithin(`<redundancyMaster version="1">${"<a>".repeat(depth)}${"</a>".repeat(depth)}</redundancyMaster>`);
    assert.ok(closed.some((d) => d.code === "RM001" && d.message === `not well-formed XML: elements are nested deeper than ${MAX_DEPTH} levels`));
    assert.ok(closed.length < 10, `${closed.length} diagnostics`);
    // Each of the MAX_DEPTH elements kept is misplaced (RM002); the unclosed ones are capped syntax errors.
    const unclosed = analyzeWithin(`<redundancyMaster version="1">${"<server>".repeat(depth)}`);
    assert.ok(unclosed.length <= MAX_SYNTAX_ERRORS + 1 + MAX_DEPTH, `${unclosed.length} diagnostics`);
  });

  it("an entity-expansion (billion laughs) document: DOCTYPE refused, nothing expanded", () => {
    const diagnostics = analyzeWithin(BILLION_LAUGHS, 2_000);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["RM001", "RM001"],
    );
    assert.match(diagnostics[0].message, /DOCTYPE declarations are not supported/);
    assert.match(diagnostics[1].message, /undefined entity &lol9;/);
    assert.throws(() => loadConfigText(BILLION_LAUGHS), ConfigError);
  });

  it("random bytes: syntax errors, capped", () => {
    assertSyntaxErrorsCapped(analyzeWithin(randomBytes(2 * 2 ** 20, 42).toString("latin1")));
    assertSyntaxErrorsCapped(analyzeWithin(randomBytes(2 * 2 ** 20, 7).toString("utf8")));
  });

  it("NUL bytes: syntax errors, capped", () => {
    assertSyntaxErrorsCapped(analyzeWithin("\0".repeat(2 ** 20)));
    assertSyntaxErrorsCapped(analyzeWithin(`<redundancyMaster version="1">${"\0".repeat(2 ** 20)}</redundancyMaster>`));
  });

  it("an empty file, and one of whitespace only", () => {
    for (const text of ["", " \n\t\n"]) {
      const diagnostics = analyzeWithin(text, 1_000);
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        ["RM001"],
      );
      assert.match(diagnostics[0].message, /root element/);
      assert.throws(
        () => loadConfigText(text),
        (err: unknown) => err instanceof ConfigError && /RM001/.test(err.message),
      );
    }
  });

  it("a byte-order mark: the file loads, and positions stay those of the editor", () => {
    const text = `\uFEFF<redundancyMaster version="1">\n<server name="S" port="1">${PAIR}</server>\n<diagnostics maxEvents="5"/>\n</redundancyMaster>`;
    const [d] = analyzeWithin(text, 1_000);
    assert.equal(d.code, "RM040");
    assert.deepEqual(d.range.start, { line: 2, character: 24 });
    const loaded = loadConfigText(text.replace('maxEvents="5"', 'maxEvents="5000"'));
    assert.equal(loaded.config.servers[0].name, "S");
  });

  it("a megabyte attribute name, value and text: linear time, short messages", () => {
    const huge = "x".repeat(2 ** 20);
    const diagnostics = analyzeWithin(
      `<redundancyMaster version="1"><server ${huge} name="${huge}" alias="&amp;${huge}" port="1">${PAIR}</server><notifications><to>${huge}</to></notifications></redundancyMaster>`,
      5_000,
    );
    assert.ok(diagnostics.length > 0);
  });

  it("20 000 pairs that all clash: every clash reported, in linear time", () => {
    const servers = Array.from({ length: 20_000 }, (_, i) => `<server name="S${i % 10_000}" port="${(i % 10_000) + 1}">${PAIR}</server>`);
    const diagnostics = analyzeWithin(`<redundancyMaster version="1">\n${servers.join("\n")}\n</redundancyMaster>`);
    assert.equal(diagnostics.filter((d) => d.code === "RM011").length, 10_000);
    assert.equal(diagnostics.filter((d) => d.code === "RM012").length, 10_000);
    assert.match(diagnostics.find((d) => d.code === "RM011")!.message, /already used by the server on line 2;/);
  });

  it("40 000 recipients written with entity references: linear time", () => {
    const to = Array.from({ length: 40_000 }, (_, i) => `<to>ops${i}&#64;plant.example</to>`).join("\n");
    assert.deepEqual(analyzeWithin(`<redundancyMaster version="1"><notifications>\n${to}\n</notifications></redundancyMaster>`), []);
  });
});

suite("hostile input, through the CLI", () => {
  let dir: string;
  before(async () => {
    await ensureEngineBuilt();
    dir = mkdtempSync(join(tmpdir(), "rm-hostile-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it("random bytes: exit 1 with capped RM001 lines", async () => {
    const path = file("garbage.xml", randomBytes(2 ** 20, 42));
    const run = await runEngineCli(["validate", path]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, "");
    const lines = run.stdout.trimEnd().split("\n");
    assert.ok(lines.length <= MAX_SYNTAX_ERRORS + 3, `${lines.length} lines`);
    for (const line of lines) assert.match(line, /^\S+garbage\.xml:\d+:\d+ error RM00[12] /);
    assert.match(lines.at(-1)!, /more than 100 syntax errors; the rest of the file was not read$/);
  });

  it("NUL bytes: exit 1, JSON still well-formed", async () => {
    const run = await runEngineCli(["validate", "--format", "json", file("nul.xml", Buffer.alloc(2 ** 20))]);
    assert.equal(run.code, 1);
    const items = JSON.parse(run.stdout) as { code: string }[];
    assert.ok(items.length > 0 && items.every((d) => d.code === "RM001"));
  });

  it("billion laughs: exit 1 at once", async () => {
    const run = await runEngineCli(["validate", file("lol.xml", BILLION_LAUGHS)], 10_000);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /error RM001 not well-formed XML: DOCTYPE declarations are not supported/);
  });

  it("a 10 MB file: exit 1 with its one mistake", async () => {
    const run = await runEngineCli(["validate", file("big.xml", tenMegabytes())]);
    assert.equal(run.code, 1);
    assert.match(run.stdout.trim(), /^\S+big\.xml:\d+:\d+ error RM060 'not a node id' is not an OPC UA NodeId/);
  });

  it("an empty file: exit 1", async () => {
    const run = await runEngineCli(["validate", file("empty.xml", "")]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /empty\.xml:1:1 error RM001 not well-formed XML: document must contain a root element\./);
  });

  it(`a file above ${MAX_CONFIG_BYTES / 2 ** 20} MB: exit 2 without reading it`, async () => {
    const path = join(dir, "huge.xml");
    const fd = openSync(path, "w");
    ftruncateSync(fd, MAX_CONFIG_BYTES + 1);
    closeSync(fd);
    const run = await runEngineCli(["validate", path]);
    assert.equal(run.code, 2);
    assert.equal(run.stderr.trim(), `redundancymaster: cannot read ${path}: is 32 MB; a config file may be at most 32 MB`);
  });
});
