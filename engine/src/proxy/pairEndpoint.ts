import { existsSync, mkdirSync, renameSync } from "node:fs";
import { hostname, networkInterfaces } from "node:os";
import { join } from "node:path";
import { MessageSecurityMode, nodesets, nodesetSourceFromFile, OPCUAServer, SecurityPolicy, type ClientSession } from "node-opcua";
import { isLoopbackAddress } from "../config/listenAddress";
import { listeningSockets } from "../opcuaInternals";
import { faultOwner, ownIncomingConnections } from "../pair/faultOwner";
import type { EndpointFigures } from "../metrics/metricsCollector";
import type { PairRuntime } from "../pair/pairRuntime";
import { answerRefusalsWithErrorMessage } from "./channelRefusal";
import { dropPerSessionDiagnostics, enforceClientLimits, sessionCapabilities } from "./clientLimits";
import { EndpointCertificateManager } from "./endpointCertificates";
import { EndpointNamespaces } from "./endpointNamespaces";
import { EndpointUsers } from "./endpointUsers";
import { EventForwarding } from "./eventForwarding";
import { HistoryForwarding } from "./historyForwarding";
import { NamespaceMirror } from "./namespaceMirror";
import { namespaceDiff, SessionNamespaces } from "./namespaceSync";
import { initializeCertificateManager } from "../upstream/certificateManagers";
import { bindRedundancyState } from "./serviceLevel";
import { UpstreamIds } from "./upstreamIds";
import { ValueForwarding } from "./valueForwarding";
import { WriteCallForwarding } from "./writeCallForwarding";

export interface PairEndpointOptions {
  port: number;
  /** The one address to bind (default 127.0.0.1): loopback, an interface's address, or 0.0.0.0 / :: for all. */
  listen?: string;
  /** Offer SecurityMode None (default true); the host decides it from the listen address (config/listenAddress.ts). */
  offerSecurityNone?: boolean;
  /** The pair's effective name: the endpoint's application name. */
  applicationName: string;
  /**
   * PKI folder: the endpoint's own certificate (own/certs/<name>.pem), the clients it trusts
   * (trusted/certs) and those it refused (rejected/: move one to trusted/certs to trust it;
   * the running endpoint sees the change).
   */
  pkiDir: string;
  /** How long start waits for the first mirror of the upstream before listening anyway (default 10 s). */
  firstMirrorTimeoutMs?: number;
  /** How often the sides' sessions are checked for a new one to mirror and compare (default 2 s). */
  syncIntervalMs?: number;
}

export interface PairEndpoint {
  /** The URL its clients use (the listen address's name, as its endpoint descriptions give it). */
  url: string;
  stop(): Promise<void>;
  /** Its clients' items on forwarded variables and their queues (metrics). */
  figures(): EndpointFigures;
}

/**
 * The OPC UA endpoint the pair's clients use: a server on the pair's port whose address space
 * mirrors the upstream servers (the union of both sides) and whose services go to the active
 * side. It binds the one listen address; its endpoint URLs name that address (on loopback also
 * localhost; on every interface the machine's host name and addresses). It has a key pair of its
 * own (`own/private/<name>.pem`, `own/certs/<name>.pem`), so one endpoint's key does not open
 * another's channels, and shares the trust list of clients with the other endpoints.
 */
export async function startPairEndpoint(pair: PairRuntime, options: PairEndpointOptions): Promise<PairEndpoint> {
  answerRefusalsWithErrorMessage();
  mkdirSync(options.pkiDir, { recursive: true });
  const fileName = options.applicationName.replace(/[^A-Za-z0-9._-]/g, "_");
  const certificateFile = join(options.pkiDir, "own", "certs", `${fileName}.pem`);
  const serverCertificateManager = new EndpointCertificateManager({ rootFolder: options.pkiDir, automaticallyAcceptUnknownCertificate: false }, fileName);
  // A certificate made before endpoints had keys of their own was signed with the shared key: set it aside, a new one is made.
  if (!existsSync(serverCertificateManager.privateKey) && existsSync(certificateFile)) renameSync(certificateFile, `${certificateFile}.shared-key-${Date.now()}`);
  await initializeCertificateManager(serverCertificateManager);
  const users = new EndpointUsers(pair);
  const listen = options.listen ?? "127.0.0.1";
  const none = options.offerSecurityNone ?? true;
  const server = new OPCUAServer({
    port: options.port,
    host: listen,
    ...endpointNames(listen),
    serverCertificateManager,
    certificateFile,
    securityModes: [...(none ? [MessageSecurityMode.None] : []), MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    securityPolicies: [...(none ? [SecurityPolicy.None] : []), SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes128_Sha256_RsaOaep, SecurityPolicy.Aes256_Sha256_RsaPss],
    // Anonymous clients would otherwise get the rights of the user the engine logs in with upstream.
    allowAnonymous: !pair.config.security.user,
    userManager: users.userManager(),
    serverInfo: {
      applicationName: { text: options.applicationName },
      applicationUri: `urn:${hostname()}:redundancymaster:${encodeURIComponent(options.applicationName)}`,
      productUri: "urn:redundancymaster",
    },
    buildInfo: { productName: "RedundancyMaster", manufacturerName: "redundancymaster" },
    maxConnectionsPerEndpoint: pair.config.clientLimits.maxConnections,
    // A client that asks for sampling interval 0 gets every forwarded value: a server advertising a
    // minimum sample rate (node-opcua's is 100 ms) folds the values that arrive within it into the
    // last one, and the pair's values do arrive together (after any pause of the engine's thread,
    // or a hot switch's replay).
    serverCapabilities: { ...sessionCapabilities(pair.config.clientLimits), minSupportedSampleRate: 0 },
    // Streamed, with a turn of the event loop every 64 KB: read whole, the standard nodeset took the
    // engine's one thread for 1.4–2.8 s (a loaded 2-core machine), and every other pair's clients
    // lost values meanwhile; streamed, 0.2–0.4 s.
    nodesets: [nodesetSourceFromFile(nodesets.standard)],
    nodesetLoaderOptions: { yieldEveryBytes: 64 * 1024 },
  });
  await initializeCertificateManager(server.userCertificateManager);
  await server.initialize();
  const limits = enforceClientLimits(server, pair.config.clientLimits, (detail) => pair.reportClientRefused?.(detail));
  const addressSpace = server.engine.addressSpace!;
  dropPerSessionDiagnostics(addressSpace);
  let namespaces: EndpointNamespaces;
  try {
    namespaces = new EndpointNamespaces(addressSpace, pair.namespaceStore);
  } catch (error) {
    await server.shutdown(0);
    await serverCertificateManager.dispose();
    throw error;
  }
  const ids = new UpstreamIds(namespaces, pair.sessionTables);
  const values = new ValueForwarding(pair, ids);
  const writeCall = new WriteCallForwarding(pair, ids, users);
  const history = new HistoryForwarding(pair, ids, users);
  history.attach(server);
  const mirror = new NamespaceMirror(addressSpace, namespaces, {
    variable: (variable) => {
      values.bindVariable(variable);
      writeCall.bindWrite(variable);
      history.bind(variable);
    },
    method: (method) => writeCall.bindMethod(method),
  });
  mirror.attach(server);
  values.attach(server);
  const events = new EventForwarding(pair, ids);
  events.attach(server);
  events.bindConditionMethods(addressSpace, (method) => writeCall.bindMethod(method));
  bindRedundancyState(addressSpace, pair);

  const sync = new UpstreamSync(pair, mirror, namespaces);
  const onActiveChanged = () => void sync.run();
  pair.on("activeChanged", onActiveChanged);
  const timer = setInterval(() => void sync.run(), options.syncIntervalMs ?? 2000);
  let stopped: Promise<void> | undefined;
  const endpoint: PairEndpoint = {
    url: `opc.tcp://${endpointNames(listen).hostname}:${options.port}`,
    figures: () => values.figures(),
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        pair.off("activeChanged", onActiveChanged);
        values.dispose();
        events.dispose();
        limits.dispose();
        await server.shutdown(0);
        await serverCertificateManager.dispose();
      })();
      return stopped;
    },
  };
  await sync.firstMirror(options.firstMirrorTimeoutMs ?? 10_000);
  try {
    await server.start();
  } catch (error) {
    // A taken port: what initialize() and the timers hold would otherwise keep the engine from ever exiting.
    await endpoint.stop().catch(() => undefined);
    throw error;
  }
  const owner = faultOwner();
  if (owner) for (const listener of listeningSockets(server)) ownIncomingConnections(listener, owner);
  return endpoint;
}

/**
 * The names the endpoint URLs carry: the names clients reach the listen address by (a client that
 * checks the endpoint URL it used against the server's list then finds it).
 */
function endpointNames(listen: string): { hostname: string; alternateHostname: string[] } {
  if (isLoopbackAddress(listen)) return { hostname: listen, alternateHostname: ["localhost"] };
  if (listen !== "0.0.0.0" && listen !== "::") return { hostname: listen, alternateHostname: [] };
  const addresses = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === "IPv4")
    .map((a) => a.address);
  return { hostname: hostname(), alternateHostname: [...new Set(["localhost", ...addresses])] };
}

/**
 * Keeps the mirror complete and the not-synced finding current: the server behind each new
 * upstream session (the active one, and either side's where the pair offers them) is read once a
 * run of that server (SessionNamespaces), added to the mirror, and the two sides are compared
 * whenever both are known.
 */
class UpstreamSync {
  private readonly namespaces = new SessionNamespaces((namespace) => this.mirror.extend(namespace));
  private running: Promise<void> | undefined;
  private again = false;
  private mirrored = false;
  private readonly mirroredListeners: (() => void)[] = [];

  constructor(
    private readonly pair: PairRuntime,
    private readonly mirror: NamespaceMirror,
    private readonly endpointNamespaces: EndpointNamespaces,
  ) {}

  /** Resolves once a first upstream has been mirrored, or after timeoutMs. */
  firstMirror(timeoutMs: number): Promise<void> {
    void this.run();
    if (this.mirrored) return Promise.resolve();
    return new Promise((done) => {
      const timer = setTimeout(done, timeoutMs);
      this.mirroredListeners.push(() => {
        clearTimeout(timer);
        done();
      });
    });
  }

  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.run();
      }
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    const primary = this.pair.sideSession?.("primary");
    const secondary = this.pair.sideSession?.("secondary");
    const active = this.pair.activeSession();
    // New namespaces get their endpoint indexes in the primary's order: its table first (its
    // session's, else as last seen), and a secondary that is up first waits for it, unless the
    // secondary is the side serving (the primary is down, and was never seen).
    const primaryTable = primary ? await this.pair.sessionTables.table(primary).catch(() => undefined) : this.pair.namespaceStore.primary;
    if (primary && primaryTable) this.pair.namespaceStore.setPrimary(primaryTable);
    if (primaryTable) this.endpointNamespaces.adopt(primaryTable);
    const secondaryNow = primaryTable || secondary === active ? secondary : undefined;
    const sessions = [primary, active, secondaryNow].filter((s): s is ClientSession => !!s);
    for (const session of new Set(sessions)) {
      try {
        await this.namespaces.read(session);
        this.mirrored = true;
      } catch {
        // The session died while being read; the next pass reads its successor.
      }
    }
    if (this.mirrored) for (const listener of this.mirroredListeners.splice(0)) listener();
    // Compared once both were read above (reading the secondary also mirrors it: not before the primary's table).
    if (!primary || !secondaryNow || !this.pair.reportNotSynced) return;
    try {
      const [p, s] = await Promise.all([this.namespaces.read(primary), this.namespaces.read(secondaryNow)]);
      this.pair.reportNotSynced(namespaceDiff(p, s));
    } catch {
      // As above: compared again on the next pass.
    }
  }
}
