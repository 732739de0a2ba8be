import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from "vscode-languageserver-protocol/node";
import type {
  CodeAction,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  FormattingOptions,
  Hover,
  Position,
  PublishDiagnosticsParams,
  Range,
  TextDocumentContentChangeEvent,
  TextEdit,
} from "vscode-languageserver-protocol";

import type { ConfigDiagnostic } from "../../engine/src/config/validate";
import type { ServerInitializationOptions } from "../../server/src/initializationOptions";
import { describe } from "../support/expectDiagnostics";

const ROOT = resolve(__dirname, "../..");
/** Generous: the machine may be busy with other suites; it bounds a hang, it measures nothing. */
const REQUEST_TIMEOUT_MS = 60_000;
export const SERVER_BUNDLE = join(ROOT, "dist/server.js");

/** Rebuilds dist/server.js when a source is newer; writes beside it and renames, so parallel test files never read half a file. */
export async function ensureServerBundle(): Promise<void> {
  const built = statSync(SERVER_BUNDLE, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (newestSource(join(ROOT, "server/src")) <= built && newestSource(join(ROOT, "engine/src")) <= built) return;
  const temporary = `${SERVER_BUNDLE}.${process.pid}.tmp`;
  await build({
    entryPoints: [join(ROOT, "server/src/server.ts")],
    outfile: temporary,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: ["node-opcua"],
    logLevel: "error",
  });
  renameSync(temporary, SERVER_BUNDLE);
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * A language client as an editor is one: spawns `node dist/server.js --stdio`, speaks JSON-RPC
 * over its stdin/stdout, keeps every publishDiagnostics it receives.
 */
export class LspClient {
  private readonly published = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: (() => void)[] = [];
  private readonly versions = new Map<string, number>();
  stderr = "";

  private constructor(
    private readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    private readonly pkiFolder: string,
  ) {
    connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
      const list = this.published.get(params.uri) ?? [];
      list.push(params);
      this.published.set(params.uri, list);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async start(options: ServerInitializationOptions = {}): Promise<LspClient> {
    await ensureServerBundle();
    const child = spawn(process.execPath, [SERVER_BUNDLE, "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const pkiFolder = mkdtempSync(join(tmpdir(), "rm-lsp-pki-"));
    const client = new LspClient(child, connection, pkiFolder);
    child.stderr!.on("data", (chunk: Buffer) => (client.stderr = (client.stderr + chunk.toString()).slice(-4000)));
    connection.listen();
    // A trust list of its own: what a developer's engine pinned never decides a test's lookups.
    const initializationOptions = { pkiFolder, trustFolder: join(pkiFolder, "trust"), ...options };
    await client.request("initialize", { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions });
    await connection.sendNotification("initialized", {});
    return client;
  }

  /** Opens a document and returns the diagnostics published for it. */
  async open(uri: string, text: string): Promise<Diagnostic[]> {
    this.versions.set(uri, 1);
    const seen = this.published.get(uri)?.length ?? 0;
    await this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "xml", version: 1, text } });
    return (await this.diagnosticsAfter(uri, seen, 1)).diagnostics;
  }

  /** Applies changes (whole text, or ranged edits) and returns the diagnostics published for the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const seen = this.published.get(uri)?.length ?? 0;
    await this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: changes });
    return (await this.diagnosticsAfter(uri, seen, version)).diagnostics;
  }

  /** Waits until a publication for `uri` satisfies `predicate` (among those after the `seen` first ones). */
  async waitForDiagnostics(uri: string, predicate: (d: Diagnostic[]) => boolean, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const latest = this.published.get(uri)?.at(-1);
      if (latest && predicate(latest.diagnostics)) return latest.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(latest?.diagnostics.map((d) => d.code))}`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
  }

  private async diagnosticsAfter(uri: string, seen: number, version: number, timeoutMs = 20_000): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (this.published.get(uri) ?? []).slice(seen).find((p) => p.version === version);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms\n${this.stderr}`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
  }

  /** Completion as invoked by the user (Ctrl+Space), or as opened by typing `triggerCharacter`. */
  /** A request the server must answer within REQUEST_TIMEOUT_MS: a test fails with the method's name rather than hanging. */
  request<T>(method: string, params: unknown): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${method}: no answer within ${REQUEST_TIMEOUT_MS} ms\n${this.stderr}`)), REQUEST_TIMEOUT_MS);
    });
    return Promise.race([this.connection.sendRequest<T>(method, params), expired]).finally(() => clearTimeout(timer));
  }

  completion(uri: string, position: Position, triggerCharacter?: string): Promise<CompletionList> {
    const context = triggerCharacter ? { triggerKind: 2, triggerCharacter } : { triggerKind: 1 };
    return this.request("textDocument/completion", { textDocument: { uri }, position, context });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.request("textDocument/hover", { textDocument: { uri }, position });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return this.request("textDocument/codeAction", { textDocument: { uri }, range, context: { diagnostics } });
  }

  symbols(uri: string): Promise<DocumentSymbol[]> {
    return this.request("textDocument/documentSymbol", { textDocument: { uri } });
  }

  foldingRanges(uri: string): Promise<FoldingRange[]> {
    return this.request("textDocument/foldingRange", { textDocument: { uri } });
  }

  format(uri: string, options: FormattingOptions = { tabSize: 2, insertSpaces: true }): Promise<TextEdit[]> {
    return this.request("textDocument/formatting", { textDocument: { uri }, options });
  }

  executeCommand(command: string): Promise<unknown> {
    return this.request("workspace/executeCommand", { command, arguments: [] });
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest("shutdown"), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification("exit");
    } catch {
      // already gone
    }
    this.connection.dispose();
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
    rmSync(this.pkiFolder, { recursive: true, force: true });
  }
}

/** The text after applying LSP edits (any order; they must not overlap). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const starts = lineStarts(text);
  const offset = (p: Position) => Math.min((starts[p.line] ?? text.length) + p.character, text.length);
  return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start)).reduce((out, e) => out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end)), text);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return starts;
}

/** `CODE@line:char-endChar` (0-based), the notation of test/support/expectDiagnostics. */
export function describeDiagnostic(d: Diagnostic): string {
  return describe({ code: String(d.code), range: d.range } as ConfigDiagnostic);
}

/** The 0-based position of the first `marker` in `text` (its first character), for cursors in tests. */
export function positionOf(text: string, marker: string, delta = 0): Position {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`marker ${JSON.stringify(marker)} not in the text`);
  const before = text.slice(0, at + delta);
  const line = before.split("\n").length - 1;
  return { line, character: before.length - before.lastIndexOf("\n") - 1 };
}
