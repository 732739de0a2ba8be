import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, DiagnosticSeverity } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { validateConfigText } from "../../engine/src/config/validate";

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } }));

documents.onDidChangeContent(({ document }) => {
  const diagnostics = validateConfigText(document.getText()).map((d) => ({
    range: d.range,
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: "redundancymaster",
    message: d.message,
  }));
  void connection.sendDiagnostics({ uri: document.uri, diagnostics });
});

documents.listen(connection);
connection.listen();
