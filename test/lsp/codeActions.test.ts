import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe as suite, it } from "node:test";
import type { CodeAction, Diagnostic } from "vscode-languageserver-protocol";
import { config } from "../support/expectDiagnostics";
import { applyEdits, describeDiagnostic, LspClient } from "./lspClient";

const fixture = (name: string) => readFileSync(join(__dirname, "../fixtures", name), "utf8");

let client: LspClient;
before(async () => {
  client = await LspClient.start({ liveCheck: false });
});
after(() => client.close());

let documents = 0;

/**
 * Opens `text`, asks for the quick fixes of its `code` diagnostic as the editor does (the
 * diagnostic as published, `data` included), applies the chosen one's edit and returns the new
 * text and its diagnostics.
 */
async function applyFix(text: string, code: string, pick: (actions: CodeAction[]) => CodeAction | undefined = (a) => a.find((x) => x.isPreferred)) {
  const uri = `file:///fixes/${++documents}/redundancymaster.xml`;
  const diagnostics = await client.open(uri, text);
  const target = diagnostics.find((d) => d.code === code);
  assert.ok(target, `${code} is reported: ${diagnostics.map(describeDiagnostic).join(" ")}`);
  const actions = await client.codeActions(uri, target.range, [target]);
  const action = pick(actions);
  assert.ok(action?.edit?.changes?.[uri], `a fix for ${code} among ${actions.map((a) => a.title).join(" | ")}`);
  const fixed = applyEdits(text, action.edit.changes[uri]);
  const after: Diagnostic[] = await client.change(uri, [{ text: fixed }]);
  return { action, actions, fixed, after, before: diagnostics };
}

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code);

suite("quick fixes: each edit removes its diagnostic", () => {
  it("RM020 sets triggerData to 2 × updateRateMs", async () => {
    const { action, fixed, after } = await applyFix(fixture("invalid/monitoring.xml"), "RM020");
    assert.equal(action.title, "Set triggerData to 2000 (2 × updateRateMs)");
    assert.ok(fixed.includes('triggerData="2000"'));
    assert.ok(!codes(after).includes("RM020"));
  });

  it("RM020 adds the missing triggerData of a noDataChange item", async () => {
    const { fixed, after } = await applyFix(config('<monitoring><item id="i=2258" updateRateMs="500" trigger="noDataChange"/></monitoring>'), "RM020");
    assert.ok(fixed.includes('<item id="i=2258" updateRateMs="500" trigger="noDataChange" triggerData="1000"/>'), fixed);
    assert.deepEqual(after, []);
  });

  it("RM010 removes <, > and & from the alias", async () => {
    const { fixed, after } = await applyFix(fixture("invalid/names-and-ports.xml"), "RM010");
    assert.ok(fixed.includes('alias="Kep  Co"'), fixed);
    assert.ok(!codes(after).includes("RM010"));
  });

  it("RM030 drops alwaysReconnectToPrimary, or switches to warm mode", async () => {
    const dropped = await applyFix(fixture("invalid/warnings-only.xml"), "RM030");
    assert.ok(dropped.fixed.includes('<connection mode="cold"\n                statusIntervalMs'), dropped.fixed);
    assert.ok(!codes(dropped.after).includes("RM030"));
    assert.deepEqual(
      dropped.actions.map((a) => a.title),
      ["Remove alwaysReconnectToPrimary (not supported in cold mode)", "Switch to warm mode (keeps failing back to the primary)"],
    );
    const warm = await applyFix(fixture("invalid/warnings-only.xml"), "RM030", (a) => a.find((x) => x.title.startsWith("Switch")));
    assert.ok(warm.fixed.includes('<connection mode="warm" alwaysReconnectToPrimary="true"'));
    assert.ok(!codes(warm.after).includes("RM030"));
  });

  it("RM023 removes the ignored triggerData of a badQuality item", async () => {
    const { fixed, after } = await applyFix(config('<monitoring><item id="i=2258" trigger="badQuality" triggerData="5"/></monitoring>'), "RM023");
    assert.ok(fixed.includes('<item id="i=2258" trigger="badQuality"/>'), fixed);
    assert.deepEqual(after, []);
  });

  it("RM022 clamps the failure count to the number of items", async () => {
    const { action, after } = await applyFix(fixture("invalid/monitoring.xml"), "RM022");
    assert.match(action.title, /^Set failureCount to \d+$/);
    assert.ok(!codes(after).includes("RM022"));
  });

  it("RM040 clamps maxEvents into 1000 … 30000", async () => {
    const { fixed, after } = await applyFix(fixture("invalid/diagnostics-and-notifications.xml"), "RM040");
    assert.match(fixed, /maxEvents="(1000|30000)"/);
    assert.ok(!codes(after).includes("RM040"));
  });

  it("RM002 replaces an unknown attribute with the closest known one", async () => {
    const { action, fixed, after } = await applyFix(config('<connection mode="warm" statusIntervalMS="1000"/>'), "RM002");
    assert.equal(action.title, "Replace 'statusIntervalMS' with 'statusIntervalMs'");
    assert.ok(fixed.includes('statusIntervalMs="1000"'));
    assert.deepEqual(after, []);
  });

  it("RM002 renames a misspelt element, end tag included", async () => {
    const { fixed, after } = await applyFix(config('<monitorng failureCount="1">\n</monitorng>'), "RM002");
    assert.ok(fixed.includes('<monitoring failureCount="1">\n</monitoring>'), fixed);
    assert.deepEqual(after, []);
  });

  it("RM002 removes an unknown attribute that is close to no known one", async () => {
    const { actions, fixed, after } = await applyFix(config('<connection mode="warm" colour="blue" statusIntervalMs="1000"/>'), "RM002");
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred]),
      [["Remove attribute 'colour'", true]],
    );
    assert.ok(fixed.includes('<connection mode="warm" statusIntervalMs="1000"/>'), fixed);
    assert.deepEqual(after, []);
  });

  it("RM002 offers to remove a misspelt attribute too, after the closer name", async () => {
    const { actions, fixed } = await applyFix(config('<connection mode="warm" statusIntervalMS="1000"/>'), "RM002", (a) => a.find((x) => x.title.startsWith("Remove")));
    assert.deepEqual(
      actions.map((a) => a.title),
      ["Replace 'statusIntervalMS' with 'statusIntervalMs'", "Remove attribute 'statusIntervalMS'"],
    );
    assert.ok(fixed.includes('<connection mode="warm"/>'), fixed);
  });

  it("RM002 removes an unknown element with its lines, and offers it beside a rename", async () => {
    const removed = await applyFix(config('    <colours>\n      <red/>\n    </colours>\n    <connection mode="warm"/>'), "RM002");
    assert.deepEqual(
      removed.actions.map((a) => [a.title, a.isPreferred]),
      [["Remove <colours> element", true]],
    );
    assert.ok(removed.fixed.includes('<secondary url="opc.tcp://b:4840"/>\n    <connection mode="warm"/>\n</server>'), `the element and its lines are gone, no blank line left: ${removed.fixed}`);
    assert.deepEqual(removed.after, []);
    const misspelt = await applyFix(config('<monitorng failureCount="1">\n</monitorng>'), "RM002", (a) => a.find((x) => x.title.startsWith("Remove")));
    assert.deepEqual(
      misspelt.actions.map((a) => a.title),
      ["Replace <monitorng> with <monitoring>", "Remove <monitorng> element"],
    );
    assert.doesNotMatch(misspelt.fixed, /monitor/);
    assert.deepEqual(misspelt.after, []);
  });

  it("offers nothing for a code without a fix", async () => {
    const uri = "file:///fixes/none/redundancymaster.xml";
    const diagnostics = await client.open(uri, config('<connection statusIntervalMs="1000" statusTimeoutMs="1000"/>'));
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["RM031"],
    );
    for (const d of diagnostics) assert.deepEqual(await client.codeActions(uri, d.range, [d]), []);
  });

  it("ignores a diagnostic that does not match the document (stale or from another tool)", async () => {
    const uri = "file:///fixes/stale/redundancymaster.xml";
    const [rm040] = await client.open(uri, fixture("invalid/diagnostics-and-notifications.xml"));
    const moved = { ...rm040, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
    assert.deepEqual(await client.codeActions(uri, moved.range, [moved]), []);
  });
});
