import { join } from "node:path";
import * as vscode from "vscode";
import { Methods } from "../../engine/src/control/clientApi";
import { DISCOVER_SERVERS_REQUEST, type DiscoveredServer } from "../../server/src/requests";
import { registerCommands } from "./commands";
import { startEngine } from "./commands/startEngine";
import { findConfigFile } from "./configFile";
import { ConfigStatus } from "./configStatus";
import { EngineLog } from "./engineLog";
import { EngineProcess } from "./engineProcess";
import { engineStateDir } from "./engineStateDir";
import type { LanguageClient } from "vscode-languageclient/node";
import { PairsStore } from "./pairsStore";
import { Secrets } from "./secrets";
import type { Services } from "./services";
import { StatusBar } from "./statusBar";
import { EventsModel } from "./views/eventsModel";
import { EventsPanel } from "./views/eventsPanel";
import { PairsTree } from "./views/pairsTree";
import { errorMessage } from "../../engine/src/control/clientApi";

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
  const startClient = () =>
    new Promise<void>((loaded) => setImmediate(loaded)).then(() => {
      const { startLanguageClient } = require(context.asAbsolutePath("dist/languageClient.js")) as typeof import("./languageClient");
      return startLanguageClient(context, settings().get<string>("configFiles", "**/redundancymaster.xml"), join(engineStateDir(), "pki", "upstream"));
    });
  let languageClient: Promise<LanguageClient> = startClient();
  const reportClient = (err: unknown) => log.line(`the language server did not start: ${errorMessage(err)}`);
  languageClient.catch(reportClient);
  context.subscriptions.push({
    dispose: () =>
      void languageClient.then(
        (c) => c.stop(),
        () => undefined,
      ),
  });
  // By method name: a RequestType object of one bundle is not recognised by a connection of another.
  const discoverServers = (url: string) => languageClient.then((c) => c.sendRequest<DiscoveredServer[]>(DISCOVER_SERVERS_REQUEST, { url }));
  const configStatus = new ConfigStatus(() => void startEngine(services, false).catch((err) => log.line(`start after save failed: ${errorMessage(err)}`)));
  const services: Services = { context, engine, pairs, events, secrets: new Secrets(context.secrets), log, configStatus, discoverServers };
  engine.onEvent((event) => events.add(event));

  const tree = new PairsTree(pairs, async () => (engine?.state === "running" ? engine.connection.sendRequest(Methods.metrics) : undefined));
  const panel = new EventsPanel(events, vscode.Uri.joinPath(context.extensionUri, "client", "media"));
  const autoStart = () => {
    if (!vscode.workspace.isTrusted || !settings().get<boolean>("engine.autoStart", true)) return;
    // not awaited: activation must not wait for the engine's sessions
    void findConfigFile()
      .then((config) => config && startEngine(services))
      .catch((err) => log.line(`auto-start failed: ${errorMessage(err)}`));
  };
  context.subscriptions.push(
    log,
    engine,
    pairs,
    tree,
    panel,
    configStatus,
    new StatusBar(engine, pairs, configStatus),
    vscode.window.createTreeView("redundancymaster.pairs", { treeDataProvider: tree, showCollapseAll: true }),
    vscode.window.registerWebviewViewProvider(EventsPanel.viewId, panel, { webviewOptions: { retainContextWhenHidden: true } }),
    ...registerCommands(services),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("redundancymaster.events.maxRows")) events.setMaxRows(settings().get<number>("events.maxRows", 5000));
    }),
    // Restricted Mode kept the live lookups and the engine off; trusting the workspace turns them on.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      languageClient = languageClient
        .then(
          (c) => c.stop(),
          () => undefined,
        )
        .then(startClient);
      languageClient.catch(reportClient);
      autoStart();
    }),
  );
  autoStart();
  return { ...services, tree };
}

/** VS Code waits for this: the engine shuts down cleanly and preserves its event log. */
export async function deactivate(): Promise<void> {
  await engine?.stop();
}
