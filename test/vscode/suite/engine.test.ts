import * as assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import { Methods, type ConnectionTestResult, type PairSnapshot } from "../../../engine/src/control/protocol";
import { SimProcess } from "../../../engine/src/sim/simProcess";
import type { PairsNode } from "../../../client/src/views/pairsTree";
import { eventually, test } from "../harness";
import { EXTENSION_ID, extensionApi, workspaceFile } from "./extensionApi";

// The fixture workspace's pair "Line4": primary on 23201, secondary on 23202.
let primary: SimProcess | undefined;
let secondary: SimProcess | undefined;

/** The pair's row as the tree shows it: label and description. */
async function pairRow(): Promise<string | undefined> {
  const { tree } = await extensionApi();
  const node = tree.getChildren().find((n: PairsNode) => n.kind === "pair" && n.pair.name === "Line4");
  if (!node) return undefined;
  const item = tree.getTreeItem(node);
  return `${item.label} ${item.description}`;
}

/** The tree rows under one side of the pair: the monitor items, label and description. */
async function monitorRows(side: "primary" | "secondary"): Promise<string[]> {
  const { tree } = await extensionApi();
  const pair = tree.getChildren().find((n: PairsNode) => n.kind === "pair" && n.pair.name === "Line4");
  const sideNode = pair && tree.getChildren(pair).find((n) => n.kind === "side" && n.side.side === side);
  return sideNode
    ? tree.getChildren(sideNode).map((n) => {
        const item = tree.getTreeItem(n);
        return `${item.label} ${item.description}`;
      })
    : [];
}

/** `redundancymaster ARGS…` as a user types it in a terminal beside VS Code (same user, same environment). */
async function cli(...args: string[]): Promise<string> {
  const engine = `${vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath}/dist/engine.js`;
  return new Promise((resolve, reject) => execFile(process.execPath, [engine, ...args], (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))));
}

test("Start Engine against two sims; a pair enabled from a terminal is enabled in the tree (one state per machine)", async () => {
  [primary, secondary] = await Promise.all([SimProcess.start({ port: 23201, identity: "primary" }), SimProcess.start({ port: 23202, identity: "secondary" })]);
  const api = await extensionApi();
  await vscode.commands.executeCommand("redundancymaster.startEngine");
  assert.equal(api.engine.state, "running", "the engine runs after Start Engine (see the RedundancyMaster Engine output)");
  // a pair with no machine-local record starts disabled, as the first seed's Deployment section says
  assert.match((await eventually("the pair in the tree", pairRow))!, /^Line4 Disabled/);
  const hint = await eventually("pairNotEnabled in the events panel", () => api.events.events.find((e) => e.id === "pairNotEnabled" && e.pair === "Line4"));
  assert.match(hint.text, /Enable it with the command 'Enable Redundancy' \(right-click 'Line4' in the Server Pairs view\)\.$/, "the hint names what works here, not a CLI line");
  await cli("enable", workspaceFile("redundancymaster.xml").fsPath, "Line4");
  // the fixture fails back to the primary, should its first connect lose the race on a busy machine
  await eventually("Line4 Paired and Available with the primary active", async () => /^Line4 Paired and Available · warm · active: primary/.test((await pairRow()) ?? ""), 60_000);
  await eventually("the primary's monitor item passed", async () => (await monitorRows("primary")).some((r) => /^ns=2;s=Watchdog passed/.test(r)));
}, 120_000);

test("Test Connection reports both sides reachable and in sync", async () => {
  const result = await vscode.commands.executeCommand<ConnectionTestResult>("redundancymaster.testConnection", "Line4");
  assert.equal(result.primary.reachable, true, result.primary.detail);
  assert.equal(result.secondary.reachable, true, result.secondary.detail);
  assert.deepEqual([...(result.missingOnPrimary ?? []), ...(result.missingOnSecondary ?? [])], []);
}, 60_000);

test("Add Redundant Server Configuration's discovery finds a running server through the language server", async () => {
  const api = await extensionApi();
  const found = await api.discoverServers(secondary!.url);
  const server = found.find((s) => s.applicationName === "secondary");
  assert.ok(server, `the secondary sim among ${JSON.stringify(found.map((s) => s.applicationName))}`);
  assert.ok(
    server.endpoints.some((e) => e.securityMode === "None"),
    JSON.stringify(server.endpoints),
  );
}, 60_000);

test("Force Failover switches to the secondary and back, each logged as this user's action in the extension", async () => {
  const api = await extensionApi();
  const before = api.events.events.at(-1)?.seq ?? -1;
  // The test host answers every modal dialog with no: asked first, nothing is switched.
  assert.equal(await vscode.commands.executeCommand("redundancymaster.forceFailover", "Line4"), undefined);
  assert.match((await pairRow()) ?? "", /active: primary/);
  // confirmed by the caller, as a keybinding may
  const toSecondary = await vscode.commands.executeCommand<PairSnapshot>("redundancymaster.forceFailover", "Line4", true);
  assert.equal(toSecondary.active, "secondary");
  await eventually("the tree shows the secondary active", async () => (await pairRow())?.includes("active: secondary"));
  const settings = vscode.workspace.getConfiguration("redundancymaster");
  await settings.update("confirmOperatorActions", false, vscode.ConfigurationTarget.Global);
  try {
    const toPrimary = await vscode.commands.executeCommand<PairSnapshot>("redundancymaster.forceFailover", "Line4");
    assert.equal(toPrimary.active, "primary", "with confirmOperatorActions off, no question is asked");
  } finally {
    await settings.update("confirmOperatorActions", undefined, vscode.ConfigurationTarget.Global);
  }
  await eventually("the tree shows the primary active", async () => (await pairRow())?.includes("active: primary"));
  const requests = await eventually("two failoverRequested events", () => {
    const found = api.events.events.filter((e) => e.seq > before && e.id === "failoverRequested");
    return found.length === 2 ? found : undefined;
  });
  assert.match(requests[0].text, new RegExp(`^Failover of 'Line4' requested by ${os.userInfo().username} \\(extension\\): the secondary is now active\\.$`));
  assert.ok(
    api.events.events.some((e) => e.seq > before && e.id === "failoverForced.secondary"),
    "the switch is an operator's, not a failure's promoted event",
  );
  assert.ok(!api.events.events.some((e) => e.seq > before && e.id === "promoted.secondary"));
});

test("a pair's tooltip shows its figures: values forwarded to a client of the endpoint, items, failovers, the engine's memory", async () => {
  const api = await extensionApi();
  // In a process of its own: the extension host must not load node-opcua (clientBoundary.test.ts).
  const client = spawn(process.execPath, ["--import", "tsx", "test/vscode/counterClient.ts", "opc.tcp://127.0.0.1:23203"], {
    cwd: vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let received = 0;
  let stderr = "";
  client.stdout.on("data", (chunk: Buffer) => (received += chunk.toString().split("\n").length - 1));
  client.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await eventually("the client's Counter values", () => received >= 10 || (client.exitCode !== null && assert.fail(`the client exited: ${stderr}`)), 30_000);
    const tooltip = async () => {
      const node = api.tree.getChildren().find((n: PairsNode) => n.kind === "pair" && n.pair.name === "Line4")!;
      const item = await api.tree.resolveTreeItem(api.tree.getTreeItem(node), node);
      return (item.tooltip as vscode.MarkdownString).value;
    };
    // The rate is measured over the engine's 5 s windows.
    const text = await eventually(
      "figures with a rate in the tooltip",
      async () => {
        const value = await tooltip();
        return /Values forwarded: [1-9][\d,.]*\/s/.test(value) ? value : undefined;
      },
      20_000,
    );
    assert.match(text, /^\*\*Line4\*\*/);
    assert.match(text, /Values forwarded: [\d,.]+\/s \([\d,]+ since the pair started\)/);
    assert.match(text, /Items: 1 of clients · upstream 1 on the primary, 0 on the secondary/, "warm: the Counter monitored on the active primary only");
    const failovers = /Failovers: (\d+) · last switch [\d.]+ (ms|s)/.exec(text);
    assert.ok(failovers && Number(failovers[1]) >= 2, `the forced failover and its way back count, with the last switch's duration: ${text}`);
    assert.match(text, /Engine: [1-9]\d* MB resident · event-loop lag p99 [\d.]+ (ms|s), max [\d.]+ (ms|s)/);
  } finally {
    client.kill();
  }
}, 60_000);

test("killing the primary makes the secondary active, and the event reaches the panel's model", async () => {
  const api = await extensionApi();
  const before = api.events.events.at(-1)?.seq ?? -1;
  await primary!.kill();
  await eventually("the secondary active", async () => (await pairRow())?.includes("active: secondary"), 45_000);
  // a disconnected side's last verdicts are not news: its items show unknown until it reports again
  await eventually("the primary's monitor item unknown", async () => (await monitorRows("primary")).some((r) => /^ns=2;s=Watchdog unknown/.test(r)));
  assert.deepEqual(
    (await monitorRows("primary")).filter((r) => / passed /.test(r)),
    [],
    "nothing passed under a disconnected side",
  );
  const promoted = await eventually("promoted.secondary in the events model", () => api.events.events.find((e) => e.seq > before && e.id === "promoted.secondary" && e.pair === "Line4"));
  assert.equal(promoted.side, "secondary");
  const lane = api.events.timelines().find((t) => t.pair === "Line4");
  assert.equal(lane?.spans.at(-1)?.side, "secondary", "the timeline's last span is the secondary's");
}, 60_000);

test("a primary back with another certificate stays refused until Trust Server Certificate… trusts it", async () => {
  const api = await extensionApi();
  primary!.options.pkiDir = await mkdtemp(path.join(os.tmpdir(), "rm-swapped-primary-"));
  await primary!.restart();
  const refused = await eventually("the primary's certificate refused", () => api.pairs.all().find((p) => p.name === "Line4")?.primary.untrustedCertificate, 45_000);
  assert.equal(refused.reason, "changed");
  const side = api.tree.getChildren(api.tree.getChildren().find((n: PairsNode) => n.kind === "pair")).find((n: PairsNode) => n.kind === "side" && n.side.side === "primary")!;
  const item = api.tree.getTreeItem(side);
  assert.equal(item.contextValue, "side.untrusted", "the side's context menu offers Trust Server Certificate…");
  assert.match(String(item.description), /^Disconnected · certificate not trusted/);
  const probe = await vscode.commands.executeCommand<ConnectionTestResult>("redundancymaster.testConnection", "Line4");
  assert.match(probe.primary.detail, /^reachable, but its certificate .* differs from the one pinned at first use/, "Test Connection opens no session with it either");
  assert.equal(await vscode.commands.executeCommand("redundancymaster.trustServerCertificate", "Line4", "primary"), undefined, "asked first; no yes, no trust");
  const before = api.events.events.at(-1)?.seq ?? -1;
  await vscode.commands.executeCommand("redundancymaster.trustServerCertificate", "Line4", "primary", true);
  await eventually("the primary running again", () => api.pairs.all().find((p) => p.name === "Line4")?.primary.state === "Running", 30_000);
  const trusted = await eventually("serverCertificateTrusted.primary", () => api.events.events.find((e) => e.seq > before && e.id === "serverCertificateTrusted.primary"));
  assert.match(trusted.text, new RegExp(`\\(thumbprint ${refused.thumbprint}\\) was trusted by ${os.userInfo().username} \\(extension\\)\\.$`));
  // settled before the next test reads the log: the fixture fails back to the primary once its monitor test passes
  await eventually("Line4 back on the primary", async () => /^Line4 Paired and Available · warm · active: primary/.test((await pairRow()) ?? ""), 45_000);
}, 120_000);

test("Save As writes the engine's log in the saved-log language", async () => {
  const api = await extensionApi();
  const file = path.join(os.tmpdir(), `rm-events-${process.pid}.rmlog`);
  // by method name: a RequestType of this bundle's vscode-jsonrpc is foreign to the extension's connection
  const { count } = await api.engine.connection.sendRequest<{ count: number }>(Methods.saveEvents.method, { file });
  assert.ok(count >= api.events.events.length, `saved ${count} events, the panel holds ${api.events.events.length}`);
  const document = await vscode.workspace.openTextDocument(file);
  assert.equal(document.languageId, "redundancymaster-log");
  assert.match(document.getText(), /^\d{4}-\d{2}-\d{2}\t\d{2}:\d{2}:\d{2}\.\d{3}\t[^\t]+\tLine4\tsecondary\tinformation\tPromoted active connection/m);
  await rm(file, { force: true });
});

test("a crashed engine is restarted, and the tree comes back", async () => {
  const api = await extensionApi();
  const crashed = api.engine.pid!;
  process.kill(crashed, "SIGKILL");
  await eventually("the engine running again with a new process", () => api.engine.state === "running" && api.engine.pid !== crashed, 30_000);
  await eventually("Line4 back in the tree", async () => (await pairRow())?.startsWith("Line4 "));
}, 45_000);

test("Stop Engine stops the engine's child process", async () => {
  const api = await extensionApi();
  const pid = api.engine.pid;
  assert.ok(pid, "the engine has a process");
  await vscode.commands.executeCommand("redundancymaster.stopEngine", true);
  assert.equal(api.engine.state, "stopped");
  assert.throws(() => process.kill(pid, 0), /ESRCH/, `process ${pid} is gone`);
  assert.deepEqual(await api.tree.getChildren(), [], "the tree empties (its welcome view offers Start Engine)");
  await Promise.all([primary?.kill(), secondary?.kill()]);
}, 30_000);
