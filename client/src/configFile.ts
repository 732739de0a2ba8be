import * as path from "node:path";
import * as vscode from "vscode";

/**
 * The configuration the engine runs: the `redundancymaster.engine.configFile` setting, else the
 * shallowest file matching `redundancymaster.configFiles` in the workspace.
 */
export async function findConfigFile(): Promise<vscode.Uri | undefined> {
  const settings = vscode.workspace.getConfiguration("redundancymaster");
  const configured = settings.get<string>("engine.configFile", "");
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (configured) return path.isAbsolute(configured) || !folder ? vscode.Uri.file(configured) : vscode.Uri.joinPath(folder.uri, configured);
  const found = await vscode.workspace.findFiles(settings.get<string>("configFiles", "**/redundancymaster.xml"), "**/node_modules/**", 50);
  return found.sort((a, b) => a.path.split("/").length - b.path.split("/").length || a.path.localeCompare(b.path))[0];
}

/** The config file, or an error that says how to get one. */
export async function requireConfigFile(): Promise<vscode.Uri> {
  const uri = await findConfigFile();
  if (!uri) throw new Error("No redundancymaster.xml in this workspace (set 'redundancymaster.engine.configFile', or run 'Add Redundant Server Configuration').");
  return uri;
}
