import type * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

/** The language server (dist/server.js) for files named redundancymaster.xml and the configured glob. */
export async function startLanguageClient(context: vscode.ExtensionContext, configGlob: string): Promise<LanguageClient> {
  const module = context.asAbsolutePath("dist/server.js");
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc },
  };
  const patterns = [...new Set(["**/redundancymaster.xml", configGlob])];
  const clientOptions: LanguageClientOptions = {
    documentSelector: patterns.map((pattern) => ({ scheme: "file", pattern })),
  };
  const client = new LanguageClient("redundancymaster", "RedundancyMaster Language Server", serverOptions, clientOptions);
  await client.start();
  return client;
}
