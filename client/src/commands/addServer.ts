import { stat } from "node:fs/promises";
import * as vscode from "vscode";
import { anchored, attribute, OPC_URL_PATTERN, parseXml, serverElement, type NewSide, errorMessage } from "../../../engine/src/control/clientApi";
import type { DiscoveredServer } from "../../../server/src/requests";
import { findConfigFile } from "../configFile";
import { serverElements } from "../configServers";
import { endpointChoices } from "./discoveredEndpoints";

const OPC_URL = anchored(OPC_URL_PATTERN);
const SKELETON = `<?xml version="1.0" encoding="UTF-8"?>\n<redundancyMaster version="1">\n</redundancyMaster>\n`;

export interface NewServer {
  name: string;
  primaryUrl: string;
  secondaryUrl: string;
  port: number;
  /** The servers' application names, when discovery found them: the machine names when both sides share a host. */
  primaryName?: string;
  secondaryName?: string;
}

export type Discover = (url: string) => Promise<DiscoveredServer[]>;

/**
 * Adds a `<server>` element to the workspace's config as an unsaved edit: the file shows as
 * modified and the engine applies it when the user saves. Without a config, a new
 * redundancymaster.xml is opened unsaved (nothing is written until the user saves it). Each
 * side's URL is typed, or picked from the servers that FindServers/GetEndpoints discover at a
 * typed URL (through the language server: the client never loads node-opcua). The machine names
 * come from the URLs' hosts, or the servers' own names when both run on one host.
 */
export async function addServer(given?: NewServer, discover?: Discover): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error("Open a folder first: the configuration lives in the workspace.");
  const target = (await findConfigFile()) ?? vscode.Uri.joinPath(folder.uri, "redundancymaster.xml");
  const exists = await stat(target.fsPath).then(
    () => true,
    () => false,
  );
  const document = await vscode.workspace.openTextDocument(exists ? target : target.with({ scheme: "untitled" }));
  // a new file is empty until this edit; one the wizard opened before and the user has not saved yet keeps its text
  const fresh = document.getText() === "";
  const text = fresh ? SKELETON : document.getText();

  const servers = serverElements(document);
  const names = new Set(servers.map((s) => s.effectiveName));
  const ports = servers.map((s) => Number(attribute(s.element, "port")?.value)).filter((p) => Number.isInteger(p));
  const server = given ?? (await ask(names, ports, discover));
  if (!server) return;

  const root = parseXml(text).root;
  const close = root?.complete ? text.lastIndexOf("</redundancyMaster>") : -1;
  if (close < 0) throw new Error(`${vscode.workspace.asRelativePath(target)} has no complete <redundancyMaster> element to add to.`);
  const side = (url: string, applicationName?: string): NewSide => ({ url, applicationName });
  const element = serverElement({ name: server.name, port: server.port, primary: side(server.primaryUrl, server.primaryName), secondary: side(server.secondaryUrl, server.secondaryName) });
  const edit = new vscode.WorkspaceEdit();
  let line: number;
  if (!fresh) {
    const insertAt = document.positionAt(close);
    line = insertAt.line;
    edit.insert(document.uri, new vscode.Position(insertAt.line, 0), insertAt.character === 0 ? element : `\n${element}`);
  } else {
    const whole = SKELETON.slice(0, close) + element + SKELETON.slice(close);
    line = whole.slice(0, whole.indexOf("<server")).split("\n").length - 1;
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), whole);
  }
  await vscode.workspace.applyEdit(edit);
  await vscode.window.showTextDocument(document, { preview: false, selection: new vscode.Range(line, 2, line, 2) });
}

async function ask(names: Set<string>, ports: number[], discover?: Discover): Promise<NewServer | undefined> {
  const primary = await endpoint(1, "primary", discover);
  if (!primary) return undefined;
  const secondary = await endpoint(2, "secondary", discover);
  if (!secondary) return undefined;
  const name = await vscode.window.showInputBox({
    title: "Add Redundant Server Configuration (3/4)",
    prompt: "Name of the redundant server (the pair)",
    value: primary.serverName,
    ignoreFocusOut: true,
    validateInput: (v) => (!v.trim() ? "A name is required." : /[<>&"]/.test(v) ? 'No <, >, & or " in a name.' : names.has(v) ? `'${v}' is already a pair's name: alias it instead.` : undefined),
  });
  if (!name) return undefined;
  const suggested = ports.length ? Math.max(...ports) + 1 : 4840;
  const port = await vscode.window.showInputBox({
    title: "Add Redundant Server Configuration (4/4)",
    prompt: "Port of the pair's endpoint (where OPC UA clients connect)",
    value: String(suggested),
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d+$/.test(v) && +v >= 1 && +v <= 65535 ? (ports.includes(+v) ? "Another pair listens on that port." : undefined) : "A port between 1 and 65535."),
  });
  if (!port) return undefined;
  return { name, primaryUrl: primary.url, secondaryUrl: secondary.url, port: Number(port), primaryName: primary.serverName, secondaryName: secondary.serverName };
}

/** A side's endpoint: the URL as typed, or one of the servers discovered there. */
async function endpoint(step: number, which: string, discover?: Discover): Promise<{ url: string; serverName?: string } | undefined> {
  const typed = await vscode.window.showInputBox({
    title: `Add Redundant Server Configuration (${step}/4)`,
    prompt: `Endpoint URL of the ${which} server${discover ? ", or of a host's discovery server to choose from what it finds" : ""}`,
    value: "opc.tcp://",
    ignoreFocusOut: true,
    validateInput: (v) => (OPC_URL.test(v) ? undefined : "An opc.tcp:// URL, e.g. opc.tcp://plc-a:4840"),
  });
  if (!typed || !discover) return typed ? { url: typed } : undefined;
  let found: DiscoveredServer[];
  try {
    found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Discovering servers at ${typed}…` }, () => discover(typed));
  } catch (err) {
    void vscode.window.showWarningMessage(`No servers discovered at ${typed} (${errorMessage(err)}); using the URL as typed.`);
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
