import * as vscode from "vscode";
import { DISCOVER_SERVERS_REQUEST, type DiscoveredServer } from "../../server/src/requests";
import { registerCommands } from "./commands";
import { startEngine } from "./commands/startEngine";
import { findConfigFile } from "./configFile";
import { EngineLog } from "./engineLog";
import { EngineProcess } from "./engineProcess";
import { PairsStore } from "./pairsStore";
import { Secrets } from "./secrets";
import type { Services } from "./services";
import { StatusBar } from "./statusBar";
import { EventsModel } from "./views/eventsModel";
import { EventsPanel } from "./views/eventsPanel";
import { PairsTree } from "./views/pairsTree";

let engine: EngineProcess | undefined;

/** The extension's exports: its parts, for the extension-host tests. */
export interface ExtensionApi extends Services {
  tree: PairsTree;
}

/** Wires the parts together. */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const settings = () => vscode.workspace.getConfiguration("redundancymaster");
  const log = new EngineLog();
  engine = new EngineProcess(context.asAbsolutePath("dist/engine.js"), log);
  const pairs = new PairsStore(engine);
  const events = new EventsModel(settings().get<number>("events.maxRows", 5000));
  // vscode-languageclient is most of the client's code: its own bundle, loaded once activation returned
  const languageClient = new Promise<void>((loaded) => setImmediate(loaded)).then(() => {
    const { startLanguageClient } = require(context.asAbsolutePath("dist/languageClient.js")) as typeof import("./languageClient");
    return startLanguageClient(context, settings().get<string>("configFiles", "**/redundancymaster.xml"));
  });
  languageClient.catch((err) => log.line(`the language server did not start: ${err instanceof Error ? err.message : String(err)}`));
  context.subscriptions.push({ dispose: () => void languageClient.then((c) => c.stop(), () => undefined) });
  // By method name: a RequestType object of one bundle is not recognised by a connection of another.
  const discoverServers = (url: string) => languageClient.then((c) => c.sendRequest<DiscoveredServer[]>(DISCOVER_SERVERS_REQUEST, { url }));
  const services: Services = { context, engine, pairs, events, secrets: new Secrets(context.secrets), log, discoverServers };
  engine.onEvent((event) => events.add(event));

  const tree = new PairsTree(pairs);
  const panel = new EventsPanel(events, vscode.Uri.joinPath(context.extensionUri, "client", "media"));
  context.subscriptions.push(
    log, engine, pairs, tree, panel, new StatusBar(engine, pairs),
    vscode.window.createTreeView("redundancymaster.pairs", { treeDataProvider: tree, showCollapseAll: true }),
    vscode.window.registerWebviewViewProvider(EventsPanel.viewId, panel, { webviewOptions: { retainContextWhenHidden: true } }),
    ...registerCommands(services),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("redundancymaster.events.maxRows")) events.setMaxRows(settings().get<number>("events.maxRows", 5000));
    }),
  );

  if (settings().get<boolean>("engine.autoStart", true)) {
    // not awaited: activation must not wait for the engine's sessions
    void findConfigFile().then((config) => config && startEngine(services)).catch((err) => log.line(`auto-start failed: ${err instanceof Error ? err.message : String(err)}`));
  }
  return { ...services, tree };
}

/** VS Code waits for this: the engine shuts down cleanly and preserves its event log. */
export async function deactivate(): Promise<void> {
  await engine?.stop();
}
