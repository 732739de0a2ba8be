import { mkdirSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import type { ClientSession, OPCUAClient } from "node-opcua";
import type { TrustPolicy } from "../config/model";
import { configItemIdentity, nodeIdIn, SessionTables } from "../namespaces/namespaceIdentity";
import { bounded } from "../upstream/bounded";
import type { ServerTrust } from "../upstream/serverTrust";
import { endpointCertificate, refusalText } from "../upstream/trustedEndpoint";

/** Time limits of the editor's connections: short, because a user is waiting at the keyboard. */
export interface SessionTimeouts {
  connectMs: number;
  requestMs: number;
  /** After a failure the endpoint counts as down this long, so typing never waits on it again. */
  retryAfterMs: number;
  /** An unused session is closed after this long. */
  idleMs: number;
}

export const EDITOR_TIMEOUTS: SessionTimeouts = { connectMs: 3000, requestMs: 3000, retryAfterMs: 5000, idleMs: 60_000 };

const CERTIFICATE_TIMEOUT_MS = 30_000;

export const OBJECTS_FOLDER = "i=85";
const MAX_PATH_DEPTH = 12;

/** One reference found by browsing. */
export interface ChildReference {
  nodeId: string;
  browseName: string;
  nodeClass: string;
}

/** What a read of one node told: whether it exists, its data type and value. */
export interface NodeFacts {
  exists: boolean;
  nodeClass?: string;
  /** A built-in type name (`Double`), else the data type's NodeId. */
  dataType?: string;
  value?: string;
  status: string;
}

type NodeOpcua = typeof import("node-opcua");

let library: Promise<NodeOpcua> | undefined;
/** node-opcua takes about half a second to load: only sessions that are really needed pay for it. */
export function loadNodeOpcua(): Promise<NodeOpcua> {
  library ??= import("node-opcua");
  return library;
}

export function defaultPkiFolder(): string {
  return join(tmpdir(), `redundancymaster-pki-${userInfo().uid}`);
}

/**
 * A lazily opened, shared client session to one endpoint. Every call is bounded by a timeout;
 * a failed endpoint is reported as down at once until `retryAfterMs` has passed.
 */
export class EndpointSession {
  private opened: Promise<{ client: OPCUAClient; session: ClientSession }> | undefined;
  private downUntil = 0;
  private lastError: Error | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly tables = new SessionTables();

  constructor(
    readonly url: string,
    private readonly pkiFolder: string,
    private readonly timeouts: SessionTimeouts = EDITOR_TIMEOUTS,
    private readonly trust?: { store: ServerTrust; policy: TrustPolicy },
  ) {}

  set trustPolicy(policy: TrustPolicy) {
    if (this.trust) this.trust.policy = policy;
  }

  /** Why the endpoint is down, while it counts as down. */
  downReason(): string | undefined {
    return Date.now() < this.downUntil ? this.lastError?.message : undefined;
  }

  async browseChildren(parents: string[]): Promise<ChildReference[][]> {
    return this.use(async (session, opcua) => {
      const results = await opcua.browseAll(
        session,
        parents.map((nodeId) => ({
          nodeId,
          referenceTypeId: "HierarchicalReferences",
          includeSubtypes: true,
          browseDirection: opcua.BrowseDirection.Forward,
          nodeClassMask: opcua.NodeClassMask.Object | opcua.NodeClassMask.Variable,
          resultMask: 63,
        })),
      );
      return results.map((result) =>
        (result.references ?? []).map((ref) => ({
          nodeId: shortNodeId(ref.nodeId.toString()),
          browseName: ref.browseName.name ?? "",
          nodeClass: opcua.NodeClass[ref.nodeClass] ?? String(ref.nodeClass),
        })),
      );
    });
  }

  async readDataTypes(nodeIds: string[]): Promise<(string | undefined)[]> {
    return this.use(async (session, opcua) => {
      const values = await readChunked(
        session,
        nodeIds.map((nodeId) => ({ nodeId, attributeId: opcua.AttributeIds.DataType })),
      );
      return values.map((dv) => (dv.statusCode.isGood() ? dataTypeName(opcua, dv.value.value) : undefined));
    });
  }

  /** The server's namespace table, read once per session. */
  async namespaceTable(): Promise<string[]> {
    return this.use((session) => this.tables.table(session));
  }

  /**
   * Config item ids as this server numbers them: `ns=` in the primary's numbering (`primaryTable`;
   * this server's own when it is unknown), `nsu=` by URI; undefined for a namespace the server lacks.
   */
  async configNodeIds(ids: readonly string[], primaryTable: readonly string[] | undefined): Promise<(string | undefined)[]> {
    const table = await this.namespaceTable();
    return ids.map((id) => {
      const identity = configItemIdentity(id, primaryTable, table);
      return identity && nodeIdIn(identity, table);
    });
  }

  /** Existence (through the NodeClass attribute), data type and current value of each node. */
  async readFacts(nodeIds: string[]): Promise<NodeFacts[]> {
    return this.use(async (session, opcua) => {
      const { AttributeIds, StatusCodes, NodeClass } = opcua;
      const attributes = [AttributeIds.NodeClass, AttributeIds.DataType, AttributeIds.Value];
      const values = await readChunked(
        session,
        nodeIds.flatMap((nodeId) => attributes.map((attributeId) => ({ nodeId, attributeId }))),
      );
      return nodeIds.map((_, i) => {
        const [nodeClass, dataType, value] = values.slice(i * 3, i * 3 + 3);
        const unknown = nodeClass.statusCode.equals(StatusCodes.BadNodeIdUnknown) || nodeClass.statusCode.equals(StatusCodes.BadNodeIdInvalid);
        if (unknown || !nodeClass.statusCode.isGood()) return { exists: !unknown, status: nodeClass.statusCode.name };
        return {
          exists: true,
          nodeClass: NodeClass[nodeClass.value.value as number],
          dataType: dataType.statusCode.isGood() ? dataTypeName(opcua, dataType.value.value) : undefined,
          value: value.statusCode.isGood() ? String(value.value.value) : undefined,
          status: value.statusCode.name,
        };
      });
    });
  }

  /** Browse names from Objects down to the node (`Simulation/Counter`), found by walking up its hierarchy; undefined when it is not under Objects. */
  async browsePath(nodeId: string): Promise<string | undefined> {
    return this.use(async (session, opcua) => {
      const [own] = await session.read([{ nodeId, attributeId: opcua.AttributeIds.BrowseName }]);
      if (!own.statusCode.isGood()) return undefined;
      const names: string[] = [own.value.value.name];
      let current = nodeId;
      for (let depth = 0; depth < MAX_PATH_DEPTH; depth++) {
        const up = await session.browse({
          nodeId: current,
          referenceTypeId: "HierarchicalReferences",
          includeSubtypes: true,
          browseDirection: opcua.BrowseDirection.Inverse,
          resultMask: 63,
        });
        const parent = up.references?.[0];
        if (!parent) return undefined;
        const parentId = shortNodeId(parent.nodeId.toString());
        if (parentId === OBJECTS_FOLDER) return names.join("/");
        names.unshift(parent.browseName.name ?? "?");
        current = parentId;
      }
      return undefined;
    });
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const opened = this.opened;
    this.opened = undefined;
    if (!opened) return;
    try {
      const { client, session } = await opened;
      await bounded(session.close(), 1000, "closing the session").catch(() => undefined);
      await bounded(client.disconnect(), 1000, "disconnecting").catch(() => undefined);
    } catch {
      // it never opened: nothing to close
    }
  }

  private async use<T>(work: (session: ClientSession, opcua: NodeOpcua) => Promise<T>): Promise<T> {
    const down = this.downReason();
    if (down) throw new Error(down);
    try {
      const opcua = await loadNodeOpcua();
      const { session } = await this.open(opcua);
      this.touch();
      return await bounded(work(session, opcua), this.timeouts.requestMs, `request to ${this.url}`);
    } catch (err) {
      this.markDown(err instanceof Error ? err : new Error(String(err)));
      throw this.lastError;
    }
  }

  private open(opcua: NodeOpcua): Promise<{ client: OPCUAClient; session: ClientSession }> {
    this.opened ??= this.connect(opcua);
    return this.opened;
  }

  private async connect(opcua: NodeOpcua): Promise<{ client: OPCUAClient; session: ClientSession }> {
    const client = await connectClient(opcua, this.url, this.pkiFolder, this.timeouts);
    // A lost connection is forgotten, not held against the endpoint: a restarted server is used again at once.
    client.on("connection_lost", () => void this.close());
    try {
      await this.refuseUntrusted(client);
      const session = await bounded(client.createSession(), this.timeouts.requestMs, `opening a session on ${this.url}`);
      return { client, session };
    } catch (err) {
      void client.disconnect().catch(() => undefined);
      throw err;
    }
  }

  /** No session with a server the trust list refuses: the editor reads only what the engine would (it pins and files nothing itself). */
  private async refuseUntrusted(client: OPCUAClient): Promise<void> {
    if (!this.trust) return;
    const endpoints = await bounded(client.getEndpoints(), this.timeouts.requestMs, `GetEndpoints on ${this.url}`);
    const verdict = await this.trust.store.check(this.url, endpointCertificate(endpoints, 1, ""), this.trust.policy, false);
    if (!verdict.trusted) throw new Error(`${this.url}: ${refusalText(verdict)}; trust it with Trust Server Certificate… in Server Pairs or 'redundancymaster trust'`);
  }

  private markDown(error: Error): void {
    this.lastError = error;
    this.downUntil = Date.now() + this.timeouts.retryAfterMs;
    void this.close();
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.close(), this.timeouts.idleMs);
    this.idleTimer.unref();
  }
}

/** Servers refuse reads above their per-call limit (node-opcua: 10,000 nodes); stay well below it. */
async function readChunked(session: ClientSession, nodes: { nodeId: string; attributeId: number }[]) {
  const out = [];
  for (let i = 0; i < nodes.length; i += 1000) out.push(...(await session.read(nodes.slice(i, i + 1000))));
  return out;
}

/** Standard subtypes of built-in types that items commonly have (UtcTime for CurrentTime, Duration, LocaleId). */
const BUILT_IN_SUBTYPES: Record<number, string> = { 290: "Double", 294: "DateTime", 295: "String" };

function dataTypeName(opcua: NodeOpcua, dataType: unknown): string | undefined {
  if (!dataType) return undefined;
  const id = dataType as { namespace: number; value: unknown; toString(): string };
  if (id.namespace === 0 && typeof id.value === "number") {
    if (id.value <= 25 && opcua.DataType[id.value]) return opcua.DataType[id.value];
    if (BUILT_IN_SUBTYPES[id.value]) return BUILT_IN_SUBTYPES[id.value];
  }
  return shortNodeId(id.toString());
}

/** `i=2258` rather than node-opcua's `ns=0;i=2258`: the form users write and RM060 documents. */
function shortNodeId(nodeId: string): string {
  return nodeId.startsWith("ns=0;") ? nodeId.slice(5) : nodeId;
}

/** A client of the editor's connected to `url` (no session), every step bounded; the caller disconnects it. */
export async function connectClient(opcua: NodeOpcua, url: string, pkiFolder: string, timeouts: Pick<SessionTimeouts, "connectMs" | "requestMs" | "idleMs">): Promise<OPCUAClient> {
  mkdirSync(pkiFolder, { recursive: true });
  const certificates = new opcua.OPCUACertificateManager({ rootFolder: pkiFolder, automaticallyAcceptUnknownCertificate: true });
  const client = opcua.OPCUAClient.create({
    applicationName: "RedundancyMaster language server",
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    // node-opcua's own guard stays behind ours, so that a hung endpoint's reason is ours ("connecting
    // to URL timed out"), naming it: bounded() does not count this process's own stalls, node-opcua's timer does.
    transportTimeout: timeouts.connectMs * 2,
    defaultTransactionTimeout: timeouts.requestMs,
    requestedSessionTimeout: timeouts.idleMs * 2,
    clientCertificateManager: certificates,
  });
  try {
    // Creating the client's certificate is local work (the first time, seconds on a busy machine): it does not count against the server.
    await bounded(
      certificates.initialize().then(() => client.createDefaultCertificate()),
      CERTIFICATE_TIMEOUT_MS,
      "creating the client certificate",
    );
    await bounded(client.connect(url), timeouts.connectMs, `connecting to ${url}`);
    return client;
  } catch (err) {
    void client.disconnect().catch(() => undefined);
    throw err;
  }
}
