import { OBJECTS_FOLDER, type EndpointSession } from "./endpointSession";
import { errorMessage } from "../errorMessage";

/** A node found by browsing from Objects, with what completion shows about it. */
export interface BrowsedNode {
  nodeId: string;
  browseName: string;
  nodeClass: string;
  dataType?: string;
  /** Browse names from Objects down to the node, `/`-separated. */
  path: string;
  /**
   * A standard node (ns=0) or one below one: the Server object's status, capabilities and
   * diagnostics (node-opcua files its session diagnostics in ns=1 there), not the plant's.
   */
  standard: boolean;
}

export interface NamespaceSnapshot {
  nodes: readonly BrowsedNode[];
  /** True once every level within the limits is known. */
  complete: boolean;
  error?: string;
}

export interface NamespaceLimits {
  maxDepth: number;
  maxNodes: number;
}

export const DEFAULT_LIMITS: NamespaceLimits = { maxDepth: 6, maxNodes: 5000 };

/**
 * The namespace of one endpoint as far as it has been browsed. Browsing starts on first use and
 * proceeds level by level from Objects in the background, each level one batched browse plus one
 * batched read of the new variables' data types; readers get whatever is known so far.
 */
export class EndpointNamespace {
  private nodes: BrowsedNode[] = [];
  /** Nodes whose children are still to be browsed. */
  private frontier: BrowsedNode[] = [];
  private running: Promise<void> | undefined;
  private generation = 0;
  private error: string | undefined;
  private started = false;

  constructor(
    readonly session: EndpointSession,
    private readonly limits: NamespaceLimits = DEFAULT_LIMITS,
  ) {}

  snapshot(): NamespaceSnapshot {
    return { nodes: this.nodes, complete: this.isComplete(), ...(this.error ? { error: this.error } : {}) };
  }

  /** Starts (or resumes after a failure) the background walk; resolves when it stops. */
  explore(): Promise<void> {
    if (this.isComplete()) return Promise.resolve();
    if (!this.started) {
      this.started = true;
      this.frontier = [{ nodeId: OBJECTS_FOLDER, browseName: "Objects", nodeClass: "Object", path: "", standard: false }];
    }
    const generation = this.generation;
    this.running ??= this.walk(generation).finally(() => {
      if (generation === this.generation) this.running = undefined;
    });
    return this.running;
  }

  /** Forgets everything browsed; the next explore() starts over from Objects. */
  refresh(): void {
    this.generation++;
    this.nodes = [];
    this.frontier = [];
    this.running = undefined;
    this.error = undefined;
    this.started = false;
  }

  private isComplete(): boolean {
    return this.started && this.frontier.length === 0 && this.running === undefined && this.error === undefined;
  }

  /**
   * Level by level, the plant's nodes first: the standard ones (the Server object's hundreds of
   * diagnostics) are browsed only once those are done, so that the plant's tags come first and
   * are never crowded out of maxNodes by them.
   */
  private async walk(generation: number): Promise<void> {
    this.error = undefined;
    const seen = new Set(this.nodes.map((n) => n.nodeId).concat(OBJECTS_FOLDER));
    while (this.frontier.length && this.nodes.length < this.limits.maxNodes) {
      const own = this.frontier.filter((n) => !n.standard);
      const parents = own.length ? own : this.frontier;
      let level: BrowsedNode[];
      try {
        level = await this.browseLevel(parents, seen);
      } catch (err) {
        if (generation === this.generation) this.error = errorMessage(err);
        return;
      }
      if (generation !== this.generation) return;
      const added = level.slice(0, this.limits.maxNodes - this.nodes.length);
      this.nodes = this.nodes.concat(added);
      this.frontier = this.frontier.filter((n) => !parents.includes(n)).concat(added.filter((n) => depthOf(n) < this.limits.maxDepth));
    }
    if (generation === this.generation) this.frontier = [];
  }

  private async browseLevel(parents: BrowsedNode[], seen: Set<string>): Promise<BrowsedNode[]> {
    const children = await this.session.browseChildren(parents.map((p) => p.nodeId));
    const level: BrowsedNode[] = [];
    children.forEach((refs, i) => {
      for (const ref of refs) {
        if (seen.has(ref.nodeId)) continue;
        seen.add(ref.nodeId);
        const path = parents[i].path ? `${parents[i].path}/${ref.browseName}` : ref.browseName;
        level.push({ nodeId: ref.nodeId, browseName: ref.browseName, nodeClass: ref.nodeClass, path, standard: parents[i].standard || isStandardNode(ref.nodeId) });
      }
    });
    const variables = level.filter((n) => n.nodeClass === "Variable");
    const types = await this.session.readDataTypes(variables.map((v) => v.nodeId));
    variables.forEach((v, i) => (v.dataType = types[i]));
    return level;
  }
}

/** A node of the OPC UA standard namespace (ns=0): `i=2258`, `ns=0;i=2258`. */
function isStandardNode(nodeId: string): boolean {
  return !nodeId.startsWith("ns=") || nodeId.startsWith("ns=0;");
}

/** How many levels below Objects a node lies (its browse path's length). */
function depthOf(node: BrowsedNode): number {
  return node.path ? node.path.split("/").length : 0;
}
