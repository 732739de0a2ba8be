import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import type { ServerInitializationOptions } from "../../server/src/initializationOptions";

/**
 * The language server (dist/server.js) for files named redundancymaster.xml and the configured
 * glob. In an untrusted workspace it looks nothing up on the servers a file names: validation,
 * completion from the format, hover and quick fixes stay (the extension starts it again once the
 * workspace is trusted). `trustFolder` is the engine's trust list of upstream servers: the caller
 * passes it, so that this bundle carries none of the engine's code.
 */
export async function startLanguageClient(context: vscode.ExtensionContext, configGlob: string, trustFolder: string): Promise<LanguageClient> {
  const module = context.asAbsolutePath("dist/server.js");
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc },
  };
  const patterns = [...new Set(["**/redundancymaster.xml", configGlob])];
  // The engine's trust list, so the editor's lookups go only to servers the engine would talk to;
  // and no lookups at all where the workspace is not trusted (opening a file must not connect to the hosts it names).
  const trusted = vscode.workspace.isTrusted;
  const initializationOptions: ServerInitializationOptions = {
    trustFolder,
    liveCheck: trusted,
    liveBrowse: trusted,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: patterns.map((pattern) => ({ scheme: "file", pattern })),
    initializationOptions,
  };
  const client = new LanguageClient("redundancymaster", "RedundancyMaster Language Server", serverOptions, clientOptions);
  await client.start();
  return client;
}
