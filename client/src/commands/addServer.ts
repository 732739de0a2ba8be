import * as vscode from "vscode";
import { anchored, OPC_URL_PATTERN } from "../../../engine/src/config/patterns";
import type { DiscoveredServer } from "../../../server/src/requests";
import { findConfigFile } from "../configFile";
import { serverElements } from "../configServers";
import { attribute, parseXml } from "../../../engine/src/config/xmlTree";
import { endpointChoices } from "./discoveredEndpoints";

const OPC_URL = anchored(OPC_URL_PATTERN);
const SKELETON = `<?xml version="1.0" encoding="UTF-8"?>\n<redundancyMaster version="1">\n</redundancyMaster>\n`;

export interface NewServer {
  name: string;
  primaryUrl: string;
  secondaryUrl: string;
  port: number;
}

export type Discover = (url: string) => Promise<DiscoveredServer[]>;

/**
 * Inserts a `<server>` element into the workspace's config (created when there is none) as an
 * edit: the file shows as modified, the engine applies it on save. Each side's URL is typed, or
 * picked from the servers that FindServers/GetEndpoints discover at a typed URL (through the
 * language server: the client never loads node-opcua).
 */
export async function addServer(given?: NewServer, discover?: Discover): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error("Open a folder first: the configuration lives in the workspace.");
  const existing = await findConfigFile();
  const uri = existing ?? vscode.Uri.joinPath(folder.uri, "redundancymaster.xml");
  if (!existing) {
    const create = new vscode.WorkspaceEdit();
    create.createFile(uri, { ignoreIfExists: true, contents: new TextEncoder().encode(SKELETON) });
    await vscode.workspace.applyEdit(create);
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const text = document.getText();

  const servers = serverElements(document);
  const names = new Set(servers.map((s) => s.effectiveName));
  const ports = servers.map((s) => Number(attribute(s.element, "port")?.value)).filter((p) => Number.isInteger(p));
  const server = given ?? (await ask(names, ports, discover));
  if (!server) return;

  const root = parseXml(text).root;
  const close = root?.complete ? text.lastIndexOf("</redundancyMaster>") : -1;
  if (close < 0) throw new Error(`${vscode.workspace.asRelativePath(uri)} has no complete <redundancyMaster> element to add to.`);
  const host = (url: string) => /^opc\.tcp:\/\/(\[[^\]]+\]|[^:/]+)/.exec(url)?.[1] ?? "";
  const element =
    `  <server name="${server.name}" port="${server.port}">\n` +
    `    <primary host="${host(server.primaryUrl)}" url="${server.primaryUrl}"/>\n` +
    `    <secondary host="${host(server.secondaryUrl)}" url="${server.secondaryUrl}"/>\n` +
    `    <connection mode="warm" alwaysReconnectToPrimary="true" statusIntervalMs="2500" statusTimeoutMs="1000"/>\n` +
    `  </server>\n`;
  const insertAt = document.positionAt(close);
  const insert = new vscode.WorkspaceEdit();
  insert.insert(uri, new vscode.Position(insertAt.line, 0), insertAt.character === 0 ? element : `\n${element}`);
  await vscode.workspace.applyEdit(insert);
  const line = insertAt.line;
  await vscode.window.showTextDocument(document, { preview: false, selection: new vscode.Range(line, 2, line, 2) });
}

async function ask(names: Set<string>, ports: number[], discover?: Discover): Promise<NewServer | undefined> {
  const primary = await endpoint(1, "primary", discover);
  if (!primary) return undefined;
  const secondary = await endpoint(2, "secondary", discover);
  if (!secondary) return undefined;
  const name = await vscode.window.showInputBox({
    title: "Add Redundant Server Configuration (3/4)", prompt: "Name of the redundant server (the pair)", value: primary.serverName, ignoreFocusOut: true,
    validateInput: (v) => (!v.trim() ? "A name is required." : /[<>&"]/.test(v) ? "No <, >, & or \" in a name." : names.has(v) ? `'${v}' is already a pair's name: alias it instead.` : undefined),
  });
  if (!name) return undefined;
  const suggested = ports.length ? Math.max(...ports) + 1 : 48401;
  const port = await vscode.window.showInputBox({
    title: "Add Redundant Server Configuration (4/4)", prompt: "Port of the pair's endpoint (where OPC UA clients connect)", value: String(suggested), ignoreFocusOut: true,
    validateInput: (v) => (/^\d+$/.test(v) && +v >= 1 && +v <= 65535 ? (ports.includes(+v) ? "Another pair listens on that port." : undefined) : "A port between 1 and 65535."),
  });
  if (!port) return undefined;
  return { name, primaryUrl: primary.url, secondaryUrl: secondary.url, port: Number(port) };
}

/** A side's endpoint: the URL as typed, or one of the servers discovered there. */
async function endpoint(step: number, which: string, discover?: Discover): Promise<{ url: string; serverName?: string } | undefined> {
  const typed = await vscode.window.showInputBox({
    title: `Add Redundant Server Configuration (${step}/4)`,
    prompt: `Endpoint URL of the ${which} server${discover ? ", or of a host's discovery server to choose from what it finds" : ""}`,
    value: "opc.tcp://", ignoreFocusOut: true,
    validateInput: (v) => (OPC_URL.test(v) ? undefined : "An opc.tcp:// URL, e.g. opc.tcp://plc-a:4840"),
  });
  if (!typed || !discover) return typed ? { url: typed } : undefined;
  let found: DiscoveredServer[];
  try {
    found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Discovering servers at ${typed}…` }, () => discover(typed));
  } catch (err) {
    void vscode.window.showWarningMessage(`No servers discovered at ${typed} (${err instanceof Error ? err.message : String(err)}); using the URL as typed.`);
    return { url: typed };
  }
  const picks = [
    ...endpointChoices(found).map((c) => ({ label: c.serverName, description: c.url, detail: `security: ${c.security.join(", ")}`, choice: c })),
    { label: "Use the URL as typed", description: typed, detail: undefined, choice: undefined },
  ];
  const picked = await vscode.window.showQuickPick(picks, { title: `The ${which} server`, ignoreFocusOut: true, matchOnDescription: true });
  if (!picked) return undefined;
  return picked.choice ? { url: picked.choice.url, serverName: picked.choice.serverName } : { url: typed };
}
