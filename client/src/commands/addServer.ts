import * as vscode from "vscode";
import { anchored, OPC_URL_PATTERN } from "../../../engine/src/config/patterns";
import { findConfigFile } from "../configFile";
import { serverElements } from "../configServers";
import { attribute, parseXml } from "../../../engine/src/config/xmlTree";

const OPC_URL = anchored(OPC_URL_PATTERN);
const SKELETON = `<?xml version="1.0" encoding="UTF-8"?>\n<redundancyMaster version="1">\n</redundancyMaster>\n`;

export interface NewServer {
  name: string;
  primaryUrl: string;
  secondaryUrl: string;
  port: number;
}

/**
 * Inserts a `<server>` element into the workspace's config (created when there is none) as an
 * edit: the file shows as modified, the engine applies it on save. The endpoints are typed in;
 * discovery (FindServers/GetEndpoints) needs node-opcua, which the client never loads, and the
 * engine's control protocol has no discovery call yet.
 */
export async function addServer(given?: NewServer): Promise<void> {
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
  const server = given ?? (await ask(names, ports));
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

async function ask(names: Set<string>, ports: number[]): Promise<NewServer | undefined> {
  const name = await vscode.window.showInputBox({
    title: "Add Redundant Server Configuration (1/4)", prompt: "Name of the redundant server (the pair)", ignoreFocusOut: true,
    validateInput: (v) => (!v.trim() ? "A name is required." : /[<>&"]/.test(v) ? "No <, >, & or \" in a name." : names.has(v) ? `'${v}' is already a pair's name: alias it instead.` : undefined),
  });
  if (!name) return undefined;
  const url = (step: number, which: string) => vscode.window.showInputBox({
    title: `Add Redundant Server Configuration (${step}/4)`, prompt: `Endpoint URL of the ${which} server`, value: "opc.tcp://", ignoreFocusOut: true,
    validateInput: (v) => (OPC_URL.test(v) ? undefined : "An opc.tcp:// URL, e.g. opc.tcp://plc-a:4840"),
  });
  const primaryUrl = await url(2, "primary");
  if (!primaryUrl) return undefined;
  const secondaryUrl = await url(3, "secondary");
  if (!secondaryUrl) return undefined;
  const suggested = ports.length ? Math.max(...ports) + 1 : 48401;
  const port = await vscode.window.showInputBox({
    title: "Add Redundant Server Configuration (4/4)", prompt: "Port of the pair's endpoint (where OPC UA clients connect)", value: String(suggested), ignoreFocusOut: true,
    validateInput: (v) => (/^\d+$/.test(v) && +v >= 1 && +v <= 65535 ? (ports.includes(+v) ? "Another pair listens on that port." : undefined) : "A port between 1 and 65535."),
  });
  if (!port) return undefined;
  return { name, primaryUrl, secondaryUrl, port: Number(port) };
}
