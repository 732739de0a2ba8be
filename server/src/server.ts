import { join } from "node:path";
import { CodeActionKind, createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type InitializeParams } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { EndpointPool } from "../../engine/src/browse/endpointPool";
import { discoverServers } from "../../engine/src/browse/discovery";
import { defaultPkiFolder, EDITOR_TIMEOUTS } from "../../engine/src/browse/endpointSession";
import { pairAt } from "../../engine/src/browse/pairEndpoints";
import { defaultStateDir, statePaths } from "../../engine/src/state/stateDir";
import { ServerTrust } from "../../engine/src/upstream/serverTrust";
import { quickFixes } from "./codeActions";
import { cursorContext } from "./completion/cursorContext";
import { itemIdCompletions } from "./completion/itemIdCompletion";
import { schemaCompletions } from "./completion/schemaCompletion";
import { TRIGGER_CHARACTERS, triggeredHere } from "./completion/triggers";
import { toLspDiagnostic } from "./diagnostics";
import { DocumentAnalyses } from "./documents";
import { formatDocument } from "./formatting";
import { hover } from "./hover";
import type { ServerInitializationOptions } from "./initializationOptions";
import { LiveChecks } from "./liveCheck";
import { DISCOVER_SERVERS_REQUEST, type DiscoverServersParams } from "./requests";
import { documentSymbols, foldingRanges } from "./symbols";

/** Forgets the browsed namespaces; VS Code's language client registers it as a command. */
const REFRESH_NAMESPACE_COMMAND = "redundancymaster.refreshNamespace";

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let options: ServerInitializationOptions = {};
let pool: EndpointPool;
let analyses: DocumentAnalyses;
let liveChecks: LiveChecks | undefined;

function publish(document: TextDocument): void {
  const analyzed = analyses.analysisOf(document);
  const live = liveChecks?.findings(analyzed) ?? [];
  const diagnostics = analyzed.analysis.diagnostics.concat(live).map(toLspDiagnostic);
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
}

connection.onInitialize((params: InitializeParams) => {
  options = (params.initializationOptions ?? {}) as ServerInitializationOptions;
  const trust = new ServerTrust(options.trustFolder ?? join(statePaths(defaultStateDir()).pki, "upstream"));
  pool = new EndpointPool(options.pkiFolder ?? defaultPkiFolder(), EDITOR_TIMEOUTS, trust);
  analyses = new DocumentAnalyses(
    options.validationDelayMs ?? 150,
    (document, analyzed) => {
      publish(document);
      liveChecks?.schedule(analyzed);
    },
    (document, error) => {
      connection.console.error(`validating ${document.uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
    },
  );
  if (options.liveCheck !== false) {
    liveChecks = new LiveChecks(
      pool,
      (uri) => {
        const document = documents.get(uri);
        if (document) publish(document);
      },
      (uri) => documents.get(uri)?.version,
      options.liveRecheckMs,
    );
  }
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: TRIGGER_CHARACTERS },
      hoverProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      documentFormattingProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      executeCommandProvider: { commands: [REFRESH_NAMESPACE_COMMAND] },
    },
    serverInfo: { name: "redundancymaster" },
  };
});

documents.onDidOpen(({ document }) => analyses.opened(document));
documents.onDidChangeContent(({ document }) => analyses.changed(document));
documents.onDidClose(({ document }) => {
  analyses.closed(document.uri);
  liveChecks?.forget(document.uri);
  void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
});

connection.onCompletion(async ({ textDocument, position, context: trigger }) => {
  const document = documents.get(textDocument.uri);
  if (!document) return null;
  const text = document.getText();
  const offset = document.offsetAt(position);
  const context = cursorContext(text, offset);
  if (!triggeredHere(context, trigger?.triggerCharacter)) return null;
  const rangeOf = (span: { start: number; end: number }) => ({ start: document.positionAt(span.start), end: document.positionAt(span.end) });
  if (context.kind === "attributeValue" && context.element === "item" && context.attribute === "id") {
    const pair = pairAt(analyses.latestOf(document).analysis.tree, offset);
    const browsePool = options.liveBrowse === false ? undefined : pool;
    return itemIdCompletions({ text, valueSpan: context.valueSpan, hasDataType: context.present.includes("dataType") }, pair, browsePool, rangeOf);
  }
  return { isIncomplete: false, items: schemaCompletions(context, rangeOf) };
});

connection.onHover(({ textDocument, position }) => {
  const document = documents.get(textDocument.uri);
  return document ? hover(analyses.analysisOf(document).analysis, document.offsetAt(position), options.liveBrowse === false ? undefined : pool) : null;
});

connection.onDocumentSymbol(({ textDocument }) => {
  const document = documents.get(textDocument.uri);
  return document ? documentSymbols(analyses.analysisOf(document).analysis) : null;
});

connection.onFoldingRanges(({ textDocument }) => {
  const document = documents.get(textDocument.uri);
  return document ? foldingRanges(analyses.analysisOf(document).analysis) : null;
});

connection.onDocumentFormatting(({ textDocument, options: formatting }) => {
  const document = documents.get(textDocument.uri);
  if (!document) return null;
  const { analysis } = analyses.analysisOf(document);
  return formatDocument(analysis.text, analysis.lines, formatting);
});

connection.onCodeAction(({ textDocument, context }) => {
  const document = documents.get(textDocument.uri);
  return document ? quickFixes(document.uri, context.diagnostics, analyses.analysisOf(document).analysis) : null;
});

connection.onExecuteCommand(({ command }) => {
  if (command === REFRESH_NAMESPACE_COMMAND) pool.refresh();
});

connection.onRequest(DISCOVER_SERVERS_REQUEST, ({ url }: DiscoverServersParams) => {
  if (options.liveBrowse === false) throw new Error("connecting to servers is off in this workspace (it is not trusted)");
  return discoverServers(url, options.pkiFolder ?? defaultPkiFolder());
});

connection.onShutdown(() => pool?.close());

documents.listen(connection);
connection.listen();
