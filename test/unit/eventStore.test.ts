import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EventLog, type NewEvent } from "../../engine/src/events/eventLog";
import { EventStore, loadEvents, saveEventsAs } from "../../engine/src/events/eventStore";

const event = (text: string): NewEvent => ({ id: "promoted.secondary", severity: "information", text, process: "redundancymaster[1]", pair: "P", side: "secondary" });
const isRoot = process.getuid?.() === 0;

describe("event log persistence", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "rm-events-"));
  });
  after(async () => {
    await chmod(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it("a restart appends to the preserved log and seq continues", async () => {
    const file = join(dir, "restart.json");
    const first = new EventLog(1000, await loadEvents(file));
    const store = new EventStore(first, { file, onWriteFailed: () => assert.fail("no write failure expected") });
    for (const t of ["a", "b", "c"]) {
      first.append(event(t));
      store.changed();
    }
    await store.flush();
    store.close();

    const loaded = await loadEvents(file);
    assert.equal(loaded.problem, undefined);
    const second = new EventLog(1000, loaded);
    const d = second.append(event("d"));
    assert.equal(d.seq, 4);
    assert.deepEqual(
      second.list().map((e) => e.text),
      ["a", "b", "c", "d"],
    );
  });

  it("writes once per burst, after the debounce", async () => {
    const file = join(dir, "debounce.json");
    const log = new EventLog(1000);
    const store = new EventStore(log, { file, debounceMs: 50, onWriteFailed: () => assert.fail("no failure") });
    for (let i = 0; i < 100; i++) {
      log.append(event(`e${i}`));
      store.changed();
    }
    await assert.rejects(readFile(file), { code: "ENOENT" }, "nothing is written before the debounce");
    await new Promise((r) => setTimeout(r, 400));
    assert.equal((await loadEvents(file)).events.length, 100);
    store.close();
  });

  it("a missing file starts an empty log without complaint", async () => {
    assert.deepEqual(await loadEvents(join(dir, "none.json")), { events: [], nextSeq: 1 });
  });

  it("a corrupt file starts fresh, says so, and keeps the old content aside", async () => {
    const file = join(dir, "corrupt.json");
    await writeFile(file, '{"format":"redundancymaster-events","version":1,"nextSeq":3,"events":[{"seq":1,');
    const loaded = await loadEvents(file);
    assert.deepEqual(loaded.events, []);
    assert.equal(loaded.nextSeq, 1);
    assert.match(loaded.problem!, /corrupt .*kept in '.*corrupt\.json\.corrupt-/);
    const kept = (await readdir(dir)).find((f) => f.startsWith("corrupt.json.corrupt-"));
    assert.ok(kept, "the corrupt content is kept beside it");
    assert.match(await readFile(join(dir, kept), "utf8"), /"nextSeq":3/);
  });

  it("a corrupt file's bytes are not echoed in the problem, and at most 3 corrupt copies are kept", async () => {
    const folder = join(dir, "many-corrupt");
    await mkdir(folder);
    const file = join(folder, "events.json");
    const problems: string[] = [];
    for (let i = 0; i < 6; i++) {
      await writeFile(file, `{"format":"redundancymaster-events" \u0000\u001b[31m secret-${i} \x7f`);
      problems.push((await loadEvents(file)).problem!);
      await new Promise((r) => setTimeout(r, 5));
    }
    for (const problem of problems) {
      assert.match(problem, /^it is corrupt \(not valid JSON \(\d+ characters\)\); its content was kept in '.*events\.json\.corrupt-[^']*'$/);
      assert.doesNotMatch(problem, /secret|redundancymaster-events|\u0000|\u001b/);
    }
    const copies = (await readdir(folder)).filter((f) => f.startsWith("events.json.corrupt-")).sort();
    assert.equal(copies.length, 3, copies.join(", "));
    assert.deepEqual(await Promise.all(copies.map((c) => readFile(join(folder, c), "utf8").then((t) => /secret-(\d)/.exec(t)![1]))), ["3", "4", "5"], "the newest are kept");
  });

  it("a file of another kind is not taken for a log", async () => {
    const file = join(dir, "other.json");
    await writeFile(file, JSON.stringify({ hello: "world" }));
    assert.match((await loadEvents(file)).problem!, /not a version 1 event log/);
  });

  it("a write failure is reported once per transition, not thrown, and the events stay in memory", async () => {
    const blocker = join(dir, "a-file");
    await writeFile(blocker, "");
    const file = join(blocker, "events.json"); // a path under a file: ENOTDIR on every write
    const log = new EventLog(1000);
    const failures: string[] = [];
    const store = new EventStore(log, { file, onWriteFailed: (d) => failures.push(d) });
    log.append(event("one"));
    store.changed();
    await store.flush();
    log.append(event("two"));
    store.changed();
    await store.flush();
    assert.equal(failures.length, 1, "one report for one failing period");
    assert.match(failures[0], /^(ENOTDIR|EEXIST): [a-z]/, "the code once, then what it means");
    assert.deepEqual(
      log.list().map((e) => e.text),
      ["one", "two"],
    );
    store.close();
  });

  it("a read-only folder fails the write, and recovery then failure again reports again", { skip: isRoot && "root ignores folder permissions" }, async () => {
    const ro = join(dir, "ro");
    await mkdir(ro);
    const file = join(ro, "events.json");
    const log = new EventLog(1000);
    const failures: string[] = [];
    const store = new EventStore(log, { file, onWriteFailed: (d) => failures.push(d) });
    await chmod(ro, 0o500);
    log.append(event("one"));
    store.changed();
    await store.flush();
    assert.equal(failures.length, 1);
    assert.match(failures[0], /^EACCES: permission denied/);
    await chmod(ro, 0o700);
    log.append(event("two"));
    store.changed();
    await store.flush();
    assert.equal((await loadEvents(file)).events.length, 2, "the log is written once the folder is writable again");
    await chmod(ro, 0o500);
    log.append(event("three"));
    store.changed();
    await store.flush();
    assert.equal(failures.length, 2, "a new failing period is reported again");
    assert.equal((await loadEvents(file)).events.length, 2, "the last good file stays whole");
    store.close();
  });

  it("save as writes one plain-text line per event", async () => {
    const log = new EventLog(1000);
    log.append(event("first"));
    log.append({ ...event("second"), pair: undefined, side: undefined, severity: "error" });
    const file = join(dir, "saved.log");
    assert.equal(await saveEventsAs(log.list(), file), 2);
    const lines = (await readFile(file, "utf8")).split("\n");
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^\d{4}-\d\d-\d\d\t\d\d:\d\d:\d\d\.\d{3}\tredundancymaster\[1\]\tP\tsecondary\tinformation\tfirst$/);
    assert.match(lines[1], /\t-\t-\terror\tsecond$/);
    assert.equal(lines[2], "");
  });
});
