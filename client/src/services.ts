import type * as vscode from "vscode";
import type { DiscoveredServer } from "../../server/src/requests";
import type { ConfigStatus } from "./configStatus";
import type { EngineLog } from "./engineLog";
import type { EngineProcess } from "./engineProcess";
import type { PairsStore } from "./pairsStore";
import type { Secrets } from "./secrets";
import type { EventsModel } from "./views/eventsModel";

/** What the commands work with; built once in extension.ts. */
export interface Services {
  context: vscode.ExtensionContext;
  engine: EngineProcess;
  pairs: PairsStore;
  events: EventsModel;
  secrets: Secrets;
  log: EngineLog;
  configStatus: ConfigStatus;
  /** FindServers/GetEndpoints at a discovery URL, through the language server (which has the OPC UA client). */
  discoverServers(url: string): Promise<DiscoveredServer[]>;
}
