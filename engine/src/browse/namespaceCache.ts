import { OBJECTS_FOLDER, type EndpointSession } from "./endpointSession";

/** A node found by browsing from Objects, with what completion shows about it. */
export interface BrowsedNode {
  nodeId: string;
  browseName: string;
  nodeClass: string;
  dataType?: string;
  /** Browse names from Objects down to the node, `/`-separated. */
  path: string;
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
  private frontier: BrowsedNode[] = [];
  private depth = 0;
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
      this.frontier = [{ nodeId: OBJECTS_FOLDER, browseName: "Objects", nodeClass: "Object", path: "" }];
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
    this.depth = 0;
    this.running = undefined;
    this.error = undefined;
    this.started = false;
  }

  private isComplete(): boolean {
    return this.started && this.frontier.length === 0 && this.running === undefined && this.error === undefined;
  }

  private async walk(generation: number): Promise<void> {
    this.error = undefined;
    const seen = new Set(this.nodes.map((n) => n.nodeId).concat(OBJECTS_FOLDER));
    while (this.frontier.length && this.depth < this.limits.maxDepth && this.nodes.length < this.limits.maxNodes) {
      let level: BrowsedNode[];
      try {
        level = await this.browseLevel(this.frontier, seen);
      } catch (err) {
        if (generation === this.generation) this.error = err instanceof Error ? err.message : String(err);
        return;
      }
      if (generation !== this.generation) return;
      const room = this.limits.maxNodes - this.nodes.length;
      this.nodes = this.nodes.concat(level.slice(0, room));
      this.frontier = level.slice(0, room);
      this.depth++;
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
        level.push({ nodeId: ref.nodeId, browseName: ref.browseName, nodeClass: ref.nodeClass, path });
      }
    });
    const variables = level.filter((n) => n.nodeClass === "Variable");
    const types = await this.session.readDataTypes(variables.map((v) => v.nodeId));
    variables.forEach((v, i) => (v.dataType = types[i]));
    return level;
  }
}
