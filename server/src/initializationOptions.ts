/**
 * What the extension may pass as `initializationOptions` when it starts the language server (the
 * client imports this type; all fields are optional).
 */
export interface ServerInitializationOptions {
  /** Quiet time after typing before re-validation (ms, default 150). */
  validationDelayMs?: number;
  /** Where the OPC UA client keeps its certificate (default: a folder under the temp directory). */
  pkiFolder?: string;
  /**
   * The engine's trust list of upstream servers (`<state>/pki/upstream`; default: that of the
   * default state folder): live lookups open sessions only with servers it does not refuse.
   */
  trustFolder?: string;
  /**
   * Look item ids up on the live servers after every validation (RM061; default true). It connects
   * to the hosts the file names as soon as the file opens: turn it off in an untrusted workspace.
   */
  liveCheck?: boolean;
  /** Browse the live servers for item-id completion and hover (default true; off in an untrusted workspace too). */
  liveBrowse?: boolean;
  /** How often RM061 is repeated while a server cannot be reached (ms, default 30000). */
  liveRecheckMs?: number;
}
