import { mkdir } from "node:fs/promises";
import * as vscode from "vscode";
import { Methods } from "../../../engine/src/control/protocol";
import { requireConfigFile } from "../configFile";
import type { Services } from "../services";

/** Starts (or restarts) the bundled engine on the workspace's config and loads its preserved events. */
export async function startEngine(services: Services): Promise<void> {
  const config = await requireConfigFile();
  const { context, engine, events, secrets } = services;
  // machine-local and per workspace: the enabled/disabled state must not travel with the config
  const stateDir = vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, "engine").fsPath;
  await mkdir(stateDir, { recursive: true });
  await engine.start({ configFile: config.fsPath, stateDir, secrets: () => secrets.engineSecrets() });
  const maxRows = vscode.workspace.getConfiguration("redundancymaster").get<number>("events.maxRows", 5000);
  events.load(await engine.connection.sendRequest(Methods.listEvents, { limit: maxRows }));
}
