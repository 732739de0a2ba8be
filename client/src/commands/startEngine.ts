import { chmod, mkdir } from "node:fs/promises";
import * as vscode from "vscode";
import { Methods } from "../../../engine/src/control/protocol";
import { requireConfigFile } from "../configFile";
import { engineStateDir } from "../engineStateDir";
import type { Services } from "../services";

/** Starts (or restarts) the bundled engine on the workspace's config and loads its preserved events. */
export async function startEngine(services: Services): Promise<void> {
  const config = await requireConfigFile();
  const { context, engine, events, secrets } = services;
  const stateDir = engineStateDir(context);
  // The engine refuses a state folder others may write (the trust lists live there): this one is the extension's own.
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await chmod(stateDir, 0o700);
  await engine.start({ configFile: config.fsPath, stateDir, secrets: () => secrets.engineSecrets() });
  const maxRows = vscode.workspace.getConfiguration("redundancymaster").get<number>("events.maxRows", 5000);
  events.load(await engine.connection.sendRequest(Methods.listEvents, { limit: maxRows }));
}
