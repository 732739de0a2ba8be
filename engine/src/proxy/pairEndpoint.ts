import { mkdirSync } from "node:fs";
import { hostname, networkInterfaces } from "node:os";
import { join } from "node:path";
import { MessageSecurityMode, OPCUAServer, SecurityPolicy, type ClientSession } from "node-opcua";
import type { PairRuntime } from "../pair/pairRuntime";
import { EndpointCertificateManager } from "./endpointCertificates";
import { EndpointUsers } from "./endpointUsers";
import { EventForwarding } from "./eventForwarding";
import { Forwarding } from "./forwarding";
import { HistoryForwarding } from "./historyForwarding";
import { NamespaceMirror } from "./namespaceMirror";
import { namespaceDiff, SessionNamespaces } from "./namespaceSync";
import { bindRedundancyState } from "./serviceLevel";
import { UpstreamIds } from "./upstreamIds";

export interface PairEndpointOptions {
  port: number;
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
  stop(): Promise<void>;
}

/**
 * The OPC UA endpoint the pair's clients use: a server on the pair's port whose address space
 * mirrors the upstream servers (the union of both sides) and whose services go to the active
 * side. It listens on every interface; its endpoint URLs name 127.0.0.1, localhost and the
 * machine's host name and addresses.
 */
export async function startPairEndpoint(pair: PairRuntime, options: PairEndpointOptions): Promise<PairEndpoint> {
  mkdirSync(options.pkiDir, { recursive: true });
  const serverCertificateManager = new EndpointCertificateManager({ rootFolder: options.pkiDir, automaticallyAcceptUnknownCertificate: false });
  await serverCertificateManager.initialize();
  const users = new EndpointUsers(pair);
  const fileName = options.applicationName.replace(/[^A-Za-z0-9._-]/g, "_");
  const server = new OPCUAServer({
    port: options.port,
    hostname: "127.0.0.1",
    alternateHostname: machineNames(),
    serverCertificateManager,
    certificateFile: join(options.pkiDir, "own", "certs", `${fileName}.pem`),
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes128_Sha256_RsaOaep, SecurityPolicy.Aes256_Sha256_RsaPss],
    // Anonymous clients would otherwise get the rights of the user the engine logs in with upstream.
    allowAnonymous: !pair.config.security.user,
    userManager: users.userManager(),
    serverInfo: {
      applicationName: { text: options.applicationName },
      applicationUri: `urn:${hostname()}:redundancymaster:${encodeURIComponent(options.applicationName)}`,
      productUri: "urn:redundancymaster",
    },
    buildInfo: { productName: "RedundancyMaster", manufacturerName: "redundancymaster" },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const ids = new UpstreamIds(addressSpace);
  const forwarding = new Forwarding(pair, ids, users);
  const history = new HistoryForwarding(pair, ids, users);
  history.attach(server);
  const mirror = new NamespaceMirror(addressSpace, {
    variable: (variable, upstream) => {
      forwarding.bindVariable(variable, upstream);
      history.bind(variable);
    },
    method: (method) => forwarding.bindMethod(method),
  });
  forwarding.attach(server);
  const events = new EventForwarding(pair, ids);
  events.attach(server);
  events.bindConditionMethods(addressSpace, (method) => forwarding.bindMethod(method));
  bindRedundancyState(addressSpace, pair);

  const sync = new UpstreamSync(pair, mirror);
  const onActiveChanged = () => void sync.run();
  pair.on("activeChanged", onActiveChanged);
  const timer = setInterval(() => void sync.run(), options.syncIntervalMs ?? 2000);
  let stopped: Promise<void> | undefined;
  const endpoint: PairEndpoint = {
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        pair.off("activeChanged", onActiveChanged);
        forwarding.dispose();
        events.dispose();
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
  return endpoint;
}

/**
 * The names clients on other machines reach this one by: its host name and IPv4 addresses (a
 * client that checks the endpoint URL it used against the server's list then finds it).
 */
function machineNames(): string[] {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => list ?? []).filter((a) => a.family === "IPv4" && !a.internal).map((a) => a.address);
  return [...new Set(["localhost", hostname(), ...addresses])];
}

/**
 * Keeps the mirror complete and the not-synced finding current: each new upstream session
 * (the active one, and either side's where the pair offers them) is read once, added to the
 * mirror, and the two sides are compared whenever both are known.
 */
class UpstreamSync {
  private readonly namespaces = new SessionNamespaces();
  private running: Promise<void> | undefined;
  private again = false;
  private mirrored = false;
  private readonly mirroredListeners: (() => void)[] = [];

  constructor(private readonly pair: PairRuntime, private readonly mirror: NamespaceMirror) {}

  /** Resolves once a first upstream has been mirrored, or after timeoutMs. */
  firstMirror(timeoutMs: number): Promise<void> {
    void this.run();
    if (this.mirrored) return Promise.resolve();
    return new Promise((done) => {
      const timer = setTimeout(done, timeoutMs);
      this.mirroredListeners.push(() => { clearTimeout(timer); done(); });
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
    const sessions = [this.pair.activeSession(), primary, secondary].filter((s): s is ClientSession => !!s);
    for (const session of new Set(sessions)) {
      try {
        this.mirror.extend(await this.namespaces.read(session));
        this.mirrored = true;
      } catch {
        // The session died while being read; the next pass reads its successor.
      }
    }
    if (this.mirrored) for (const listener of this.mirroredListeners.splice(0)) listener();
    if (!primary || !secondary || !this.pair.reportNotSynced) return;
    try {
      const [p, s] = await Promise.all([this.namespaces.read(primary), this.namespaces.read(secondary)]);
      this.pair.reportNotSynced(namespaceDiff(p, s));
    } catch {
      // As above: compared again on the next pass.
    }
  }
}
