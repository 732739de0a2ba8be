import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe as suite, it } from "node:test";
import { ENGINE_BUNDLE, ensureEngineBuilt, REPO_ROOT, runEngineCli } from "../support/engineCli";

const cli = (...args: string[]) => runEngineCli(args);

/** The fixtures' findings, as `CODE@line:col` in the 1-based line:col of the text format. */
const EXPECTED: Record<string, { exit: number; findings: string[] }> = {
  "test/fixtures/invalid/not-well-formed.xml": { exit: 1, findings: ["RM001@5:6", "RM001@5:20", "RM001@7:4"] },
  "test/fixtures/invalid/structure.xml": {
    exit: 1,
    findings: ["RM002@3:4", "RM002@3:4", "RM002@5:29", "RM002@6:6", "RM002@8:4", "RM002@9:33", "RM002@10:4"],
  },
  "test/fixtures/invalid/value-types.xml": {
    exit: 1,
    findings: [
      "RM003@3:11",
      "RM003@3:25",
      "RM003@4:19",
      "RM003@6:23",
      "RM003@6:59",
      "RM003@7:35",
      "RM003@9:35",
      "RM003@9:55",
      "RM003@9:94",
      "RM003@12:27",
      "RM003@13:17",
      "RM003@13:47",
      "RM003@14:16",
    ],
  },
  "test/fixtures/invalid/names-and-ports.xml": { exit: 1, findings: ["RM010@3:29", "RM011@11:31", "RM012@11:44", "RM013@15:18"] },
  "test/fixtures/invalid/monitoring.xml": { exit: 1, findings: ["RM022@7:31", "RM020@8:81", "RM021@9:48", "RM023@10:59", "RM060@11:17", "RM060@12:17"] },
  "test/fixtures/invalid/diagnostics-and-notifications.xml": { exit: 1, findings: ["RM040@3:27", "RM050@4:27", "RM051@4:39", "RM051@7:9"] },
  "test/fixtures/invalid/warnings-only.xml": { exit: 0, findings: ["RM070@5:21", "RM030@6:29", "RM031@7:58"] },
  "test/fixtures/invalid/billion-laughs.xml": { exit: 1, findings: ["RM001@2:1", "RM001@15:17", "RM001@20:13"] },
};

const TEXT_LINE = /^(.+?):(\d+):(\d+) (error|warning) (RM\d{3}) (.+)$/;

before(ensureEngineBuilt);

suite("redundancymaster validate", () => {
  it("exits 0 and prints nothing for each valid fixture", async () => {
    const files = ["design-example", "minimal", "hot-mode", "shared-name-aliases"].map((f) => `test/fixtures/valid/${f}.xml`);
    const run = await cli("validate", ...files);
    assert.deepEqual(run, { code: 0, stdout: "", stderr: "" });
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: exit ${expected.exit}, compiler-style lines at the right places`, async () => {
      const run = await cli("validate", file);
      assert.equal(run.code, expected.exit, run.stderr);
      const lines = run.stdout.trimEnd().split("\n");
      const found = lines.map((line) => {
        const m = TEXT_LINE.exec(line);
        assert.ok(m, `not file:line:col severity code message: ${line}`);
        assert.equal(m[1], file);
        return `${m[5]}@${m[2]}:${m[3]}`;
      });
      assert.deepEqual(found, expected.findings);
    });

    it(`${file}: the same findings as one JSON array`, async () => {
      const run = await cli("validate", file, "--format", "json");
      assert.equal(run.code, expected.exit);
      const items = JSON.parse(run.stdout) as Record<string, unknown>[];
      for (const item of items) {
        assert.deepEqual(Object.keys(item), ["file", "code", "severity", "message", "range"]);
        assert.equal(item.file, file);
        assert.match(String(item.severity), /^(error|warning)$/);
        assert.ok(String(item.message).length > 0);
        const range = item.range as { start: Record<string, number>; end: Record<string, number> };
        assert.deepEqual(Object.keys(range), ["start", "end"]);
        for (const p of [range.start, range.end]) assert.deepEqual(Object.keys(p), ["line", "character"]);
        assert.ok(range.end.line > range.start.line || (range.end.line === range.start.line && range.end.character >= range.start.character));
      }
      const found = items.map((d) => {
        const { start } = d.range as { start: { line: number; character: number } };
        return `${d.code}@${start.line + 1}:${start.character + 1}`;
      });
      assert.deepEqual(found, expected.findings);
    });
  }

  it("reports an RM001 range in JSON exactly", async () => {
    const run = await cli("validate", "--format=json", "test/fixtures/invalid/billion-laughs.xml");
    const [doctype, entity] = JSON.parse(run.stdout);
    assert.deepEqual(doctype.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } });
    assert.deepEqual(entity, {
      file: "test/fixtures/invalid/billion-laughs.xml",
      code: "RM001",
      severity: "error",
      message: "not well-formed XML: undefined entity &lol9;: only &lt; &gt; &amp; &quot; &apos; and character references such as &#38; are allowed",
      range: { start: { line: 14, character: 16 }, end: { line: 14, character: 22 } },
    });
  });

  it("checks several files in one run, in order, and exits 1 when any has an error", async () => {
    const run = await cli("validate", "test/fixtures/valid/minimal.xml", "test/fixtures/invalid/warnings-only.xml", "test/fixtures/invalid/names-and-ports.xml");
    assert.equal(run.code, 1);
    assert.deepEqual(
      run.stdout
        .trimEnd()
        .split("\n")
        .map((l) => l.split(":")[0]),
      [...Array(3).fill("test/fixtures/invalid/warnings-only.xml"), ...Array(4).fill("test/fixtures/invalid/names-and-ports.xml")],
    );
  });

  it("prints an empty JSON array for a clean file", async () => {
    const run = await cli("validate", "--format", "json", "test/fixtures/valid/minimal.xml");
    assert.equal(run.code, 0);
    assert.deepEqual(JSON.parse(run.stdout), []);
  });

  it("exits 2 with a clear message for a missing file, and still checks the others", async () => {
    const run = await cli("validate", "test/fixtures/nowhere.xml", "test/fixtures/invalid/names-and-ports.xml");
    assert.equal(run.code, 2);
    assert.equal(run.stderr.trim(), "redundancymaster: cannot read test/fixtures/nowhere.xml: no such file");
    assert.equal(run.stdout.trimEnd().split("\n").length, 4);
  });

  it("stops quietly, status 141, when its reader closes the pipe early (`| head`)", async () => {
    const files = Array<string>(2000).fill("test/fixtures/invalid/value-types.xml");
    const child = spawn(process.execPath, [ENGINE_BUNDLE, "validate", ...files], { cwd: REPO_ROOT });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = once(child, "exit");
    await once(child.stdout, "data");
    child.stdout.destroy();
    const [code] = await exited;
    assert.equal(code, 141);
    assert.equal(stderr, "");
  });

  it("exits 2 for a directory", async () => {
    const run = await cli("validate", "test/fixtures");
    assert.equal(run.code, 2);
    assert.equal(run.stderr.trim(), "redundancymaster: cannot read test/fixtures: is a directory, not a file");
  });
});

suite("encodings", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "rm-encodings-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // A mistake on the first line, where a byte-order mark would shift the column if it were kept.
  const XML = '<redundancyMaster version="2"><!-- Größe --></redundancyMaster>\n';
  const utf16be = (text: string) => Buffer.from(text, "utf16le").swap16();
  const cases: [string, Buffer][] = [
    ["utf-8", Buffer.from(XML, "utf8")],
    ["utf-8 with BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(XML, "utf8")])],
    ["utf-16le with BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(XML, "utf16le")])],
    ["utf-16be with BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(XML)])],
  ];
  for (const [encoding, bytes] of cases) {
    it(`reads ${encoding} and reports the editor's positions`, async () => {
      const file = join(dir, `${encoding.replace(/\W+/g, "-")}.xml`);
      writeFileSync(file, bytes);
      const run = await cli("validate", file);
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stdout, `${file}:1:28 error RM003 version must be one of 1 (got '2')\n`);
    });
  }
});

suite("usage", () => {
  it("validate --help explains the verb and exits 0", async () => {
    const run = await cli("validate", "--help");
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^usage: redundancymaster validate FILE… \[--format text\|json\]/);
    assert.match(run.stdout, /Exit status: 0 no errors, 1 errors found, 2 usage or I\/O failure\./);
  });

  it("--help lists the verbs and exits 0; no verb at all exits 2", async () => {
    const help = await cli("--help");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: redundancymaster VERB/);
    assert.match(help.stdout, /^ {2}validate +check redundancymaster\.xml files/m);
    const bare = await cli();
    assert.equal(bare.code, 2);
    assert.equal(bare.stdout, help.stdout);
  });

  for (const [args, message] of [
    [["validate", "--format", "xml", "a.xml"], "--format must be text or json (got 'xml')"],
    [["validate", "--colour", "a.xml"], "unknown option --colour"],
    [["validate", "a.xml", "--format"], "--format needs a value"],
    [["validate"], "validate needs at least one FILE"],
  ] as const) {
    it(`${args.join(" ")} exits 2: ${message}`, async () => {
      const run = await cli(...args);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, "");
      assert.ok(run.stderr.startsWith(`redundancymaster validate: ${message}\n`), run.stderr);
      assert.match(run.stderr, /usage: redundancymaster validate/);
    });
  }

  it("an unknown verb exits 2 and shows the verbs", async () => {
    const run = await cli("valdiate", "a.xml");
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^redundancymaster: unknown verb 'valdiate'/);
    assert.match(run.stderr, /validate/);
  });
});
