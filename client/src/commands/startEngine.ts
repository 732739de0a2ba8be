import { chmod, mkdir } from "node:fs/promises";
import * as vscode from "vscode";
import { Methods } from "../../../engine/src/control/clientApi";
import { ConfigHasErrors } from "../configErrors";
import { requireConfigFile } from "../configFile";
import { engineStateDir } from "../engineStateDir";
import type { Services } from "../services";

const RESTRICTED_MODE = "Restricted Mode: the engine does not run in an untrusted workspace (it would connect to the servers the configuration names). Trust the workspace to start it.";

/**
 * Starts (or restarts) the bundled engine on the workspace's config and loads its preserved events.
 * A config with errors is not started: a notification names its first errors and offers the
 * Problems view (`notify` false: a retry on save, which only updates the views), and the next save
 * tries again.
 */
export async function startEngine(services: Services, notify = true): Promise<void> {
  if (!vscode.workspace.isTrusted) throw new Error(RESTRICTED_MODE);
  const config = await requireConfigFile();
  const { engine, events, secrets, configStatus } = services;
  const stateDir = engineStateDir();
  // The engine refuses a state folder others may write (the trust lists live there).
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await chmod(stateDir, 0o700);
  try {
    await engine.start({ configFile: config.fsPath, stateDir, secrets: () => secrets.engineSecrets() });
  } catch (err) {
    if (!(err instanceof ConfigHasErrors)) throw err;
    configStatus.refused(err);
    if (notify) {
      const file = vscode.workspace.asRelativePath(config);
      void vscode.window
        .showErrorMessage(`RedundancyMaster: the engine did not start: ${file} has ${err.message}. It starts when you save the file without errors.`, "Show Problems")
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand("redundancymaster.showProblems");
        });
    }
    return;
  }
  configStatus.accepted();
  const maxRows = vscode.workspace.getConfiguration("redundancymaster").get<number>("events.maxRows", 5000);
  events.load(await engine.connection.sendRequest(Methods.listEvents, { limit: maxRows }));
}
