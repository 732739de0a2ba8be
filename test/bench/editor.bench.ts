import assert from "node:assert/strict";
import { analyzeConfig } from "../../engine/src/config/validate";
import { generatedConfig } from "../support/generatedConfig";
import { startSimPair } from "../lsp/liveServers";
import { LspClient, positionOf } from "../lsp/lspClient";
import { summarize, timeEach, type BenchOptions, type BenchResult } from "./benchResult";

// Ports 22668–22669 (the LSP block).

/** The same work in-process, without the protocol: the ratio is what LSP and the server's bookkeeping add. */
const IN_PROCESS = "baseline: analyzeConfig of the same text in-process";

async function timeAsync(fn: (i: number) => Promise<unknown>, repetitions: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const started = performance.now();
    await fn(i);
    samples.push(performance.now() - started);
  }
  return samples;
}

/**
 * The editor's latencies on a 10,000-item file (200 pairs × 50 items), through the bundled server
 * over stdio exactly as VS Code drives it: open → diagnostics, a one-character edit → diagnostics
 * (debounce off, so the figure is the work, not the wait), and item-id completion from a cached
 * namespace at the file's last item, against a plain enum-value completion at the same place.
 */
export async function run({ quick }: BenchOptions): Promise<BenchResult[]> {
  const reps = quick ? 3 : 15;
  const results: BenchResult[] = [];
  const sims = await startSimPair(22668, 22669);
  const client = await LspClient.start({ validationDelayMs: 0, liveCheck: false });
  try {
    const base = generatedConfig(200, 50);
    const text = base.replace("opc.tcp://plc-a-199.plant.example:4840", sims.primary.url).replace("opc.tcp://plc-b-199.plant.example:4840", sims.secondary.url);
    assert.deepEqual(analyzeConfig(text).diagnostics, [], "the benchmark document is valid");
    const inProcess = timeEach(() => analyzeConfig(text), reps, 2);

    const opened = await timeAsync(
      async (i) => {
        const uri = `file:///bench/open/${i}/redundancymaster.xml`;
        assert.deepEqual(await client.open(uri, text), []);
        await client.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
      },
      reps,
      2,
    );
    results.push(summarize("editor.10k_items.open_to_diagnostics_ms", opened, "ms", inProcess, `didOpen → publishDiagnostics over stdio; ${IN_PROCESS}`));

    const uri = "file:///bench/edit/redundancymaster.xml";
    await client.open(uri, text);
    const rate = positionOf(text, 'updateRateMs="1000"', 'updateRateMs="100'.length);
    const edited = await timeAsync(
      async (i) => {
        const digit = String(i & 1);
        const diagnostics = await client.change(uri, [{ range: { start: rate, end: { line: rate.line, character: rate.character + 1 } }, text: digit }]);
        assert.deepEqual(diagnostics, []);
      },
      reps,
      2,
    );
    results.push(
      summarize("editor.10k_items.edit_to_diagnostics_ms", edited, "ms", inProcess, `one-character edit → publishDiagnostics, debounce off (the editor waits 150 ms of quiet first); ${IN_PROCESS}`),
    );

    const lastItem = text.lastIndexOf('<item id="') + '<item id="'.length;
    const before = text.slice(0, lastItem);
    const idAt = { line: before.split("\n").length - 1, character: lastItem - before.lastIndexOf("\n") - 1 };
    const triggerAt = positionOf(text.slice(lastItem), 'trigger="', 'trigger="'.length);
    const valueAt = { line: idAt.line + triggerAt.line, character: triggerAt.line === 0 ? idAt.character + triggerAt.character : triggerAt.character };
    const settle = Date.now() + 30_000;
    while ((await client.completion(uri, idAt)).isIncomplete) {
      assert.ok(Date.now() < settle, "the sim's namespace is browsed within 30 s");
      await new Promise((r) => setTimeout(r, 200));
    }
    const cached = await timeAsync(
      async () => {
        const list = await client.completion(uri, idAt);
        assert.ok(!list.isIncomplete && list.items.some((i) => i.label === "ns=2;s=Counter"));
      },
      reps * 2,
      2,
    );
    const enumValues = await timeAsync(
      async () => {
        const list = await client.completion(uri, valueAt);
        assert.ok(list.items.some((i) => i.label === "noDataChange"));
      },
      reps * 2,
      2,
    );
    const nodes = (await client.completion(uri, idAt)).items.length;
    results.push(
      summarize(
        "editor.completion.cached_item_id_ms",
        cached,
        "ms",
        enumValues,
        `${nodes} nodes from a browsed namespace, at the last item of the 10k file; baseline: enum-value completion at the same item`,
      ),
    );

    // As the editor sends them: a keystroke, then at once a completion request; the server's usual
    // 150 ms debounce is on, so the re-validation of the 10k file must not stand in the way.
    const typing = await LspClient.start({ liveCheck: false });
    try {
      const typingUri = "file:///bench/typing/redundancymaster.xml";
      await typing.open(typingUri, text);
      while ((await typing.completion(typingUri, idAt)).isIncomplete) await new Promise((r) => setTimeout(r, 200));
      let version = 1;
      const afterKeystroke: number[] = [];
      for (let i = -2; i < reps; i++) {
        const edit = { range: { start: rate, end: { line: rate.line, character: rate.character + 1 } }, text: String(i & 1) };
        const started = performance.now();
        void typing.connection.sendNotification("textDocument/didChange", { textDocument: { uri: typingUri, version: ++version }, contentChanges: [edit] });
        const list = await typing.completion(typingUri, idAt);
        if (i >= 0) afterKeystroke.push(performance.now() - started);
        assert.ok(list.items.some((item) => item.label === "ns=2;s=Counter"));
        await typing.waitForDiagnostics(typingUri, () => true);
        await new Promise((r) => setTimeout(r, 300));
      }
      results.push(
        summarize(
          "editor.completion.item_id_after_keystroke_ms",
          afterKeystroke,
          "ms",
          cached,
          "didChange then completion at once, debounce 150 ms (the default); baseline: cached item-id completion without an edit",
        ),
      );
    } finally {
      await typing.close();
    }
  } finally {
    await client.close();
    await Promise.all([sims.primary.close(), sims.secondary.close()]);
  }
  return results;
}
