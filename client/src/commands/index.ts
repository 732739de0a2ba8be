import * as vscode from "vscode";
import type { Services } from "../services";
import { addServer } from "./addServer";
import { aliasServer } from "./aliasServer";
import { disablePair } from "./disablePair";
import { enablePair } from "./enablePair";
import { forceFailover } from "./forceFailover";
import { openEventLog } from "./openEventLog";
import { removeServer } from "./removeServer";
import { resetEvents } from "./resetEvents";
import { restartEngine } from "./restartEngine";
import { revealInConfig } from "./revealInConfig";
import { saveEvents } from "./saveEvents";
import { sendTestEmail } from "./sendTestEmail";
import { setSmtpPassword } from "./setSmtpPassword";
import { showEngineLog } from "./showEngineLog";
import { showProblems } from "./showProblems";
import { startEngine } from "./startEngine";
import { stopEngine } from "./stopEngine";
import { testConnection } from "./testConnection";
import { trustServerCertificate } from "./trustServerCertificate";
import { unaliasServer } from "./unaliasServer";
import { errorMessage } from "../../../engine/src/control/clientApi";

// After the services: what VS Code passes (the tree item a context-menu command was invoked on)
// or what a caller of executeCommand passes (the tests: pair names, and the answers a picker or a
// confirmation would ask for).
type Handler = (services: Services, ...args: any[]) => unknown;

/**
 * Every command of package.json's contributes.commands, by id, but refreshNamespace: the language
 * server provides that one (executeCommandProvider) and the language client registers it.
 */
const COMMANDS: Record<string, Handler> = {
  startEngine,
  stopEngine,
  restartEngine,
  addServer: (services, server) => addServer(server, services.discoverServers),
  aliasServer: (_, pair, alias) => aliasServer(pair, alias),
  unaliasServer: (_, pair) => unaliasServer(pair),
  removeServer: (_, pair, confirmed) => removeServer(pair, confirmed),
  enablePair,
  disablePair,
  testConnection,
  forceFailover,
  trustServerCertificate,
  sendTestEmail,
  setSmtpPassword,
  showEngineLog,
  showProblems,
  openEventLog: () => openEventLog(),
  revealInConfig: (_, pair) => revealInConfig(pair),
  saveEvents,
  resetEvents,
};

/** Registers the commands; a failure shows as one error notification that says what to do. */
export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([name, handler]) =>
    vscode.commands.registerCommand(`redundancymaster.${name}`, async (...args: unknown[]) => {
      try {
        return await handler(services, ...args);
      } catch (err) {
        const message = errorMessage(err);
        void vscode.window.showErrorMessage(message);
        return undefined;
      }
    }),
  );
}
