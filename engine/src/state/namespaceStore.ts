import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { writeFileAtomic } from "./atomicFile";

const FORMAT = "redundancymaster-namespaces";
const VERSION = 1;

interface NamespaceFile {
  format: typeof FORMAT;
  version: typeof VERSION;
  /** The endpoint's namespace URIs from index 2 on (0 is OPC UA's, 1 the endpoint's own). */
  endpoint: string[];
  /** The primary's namespace table as the engine last saw it. */
  primary?: string[];
}

/**
 * One pair's namespace tables that outlive a session, in the state folder: the endpoint's (an
 * index once given to a URI keeps it across engine restarts, so the `ns=` NodeIds clients stored
 * stay valid) and the primary's last seen (config `ns=` ids are read in it, also while the
 * primary is down). Without a file (a pair run outside the engine host) it lives in memory only.
 * Writes are atomic and one at a time; a failed write is reported and tried again at the next change.
 */
export class NamespaceStore {
  private data: NamespaceFile = { format: FORMAT, version: VERSION, endpoint: [] };
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly file?: string,
    private readonly onWriteFailed: (detail: string) => void = () => undefined,
  ) {}

  /** Reads the file; a missing one is an empty store. Throws on a file that is not a valid store: starting over would renumber the clients' NodeIds. */
  async load(): Promise<void> {
    if (!this.file) return;
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw new Error(`cannot read the namespace table file '${this.file}': ${(err as Error).message}`);
    }
    let data: NamespaceFile;
    try {
      data = JSON.parse(text) as NamespaceFile;
    } catch (err) {
      throw new Error(`the namespace table file '${this.file}' is not valid JSON (${(err as Error).message}); fix it, or remove it to let the endpoint number its namespaces anew`);
    }
    const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === "string");
    if (data?.format !== FORMAT || data.version !== VERSION || !strings(data.endpoint) || (data.primary !== undefined && !strings(data.primary))) {
      throw new Error(`'${this.file}' is not a version ${VERSION} namespace table file; fix it, or remove it to let the endpoint number its namespaces anew`);
    }
    this.data = data;
  }

  /** The endpoint's URIs from index 2 on, in index order. */
  get endpoint(): readonly string[] {
    return this.data.endpoint;
  }

  get primary(): readonly string[] | undefined {
    return this.data.primary;
  }

  /** Gives the next index to a URI the endpoint has just registered. */
  appendEndpoint(uri: string): void {
    if (this.data.endpoint.includes(uri)) return;
    this.data.endpoint.push(uri);
    this.save();
  }

  setPrimary(table: readonly string[]): void {
    if (JSON.stringify(table) === JSON.stringify(this.data.primary)) return;
    this.data.primary = [...table];
    this.save();
  }

  /** Resolves once every change made so far is on disk (or its write failed). */
  flushed(): Promise<void> {
    return this.writing;
  }

  private save(): void {
    const file = this.file;
    if (!file) return;
    this.writing = this.writing.then(async () => {
      try {
        await mkdir(dirname(file), { recursive: true, mode: 0o700 });
        await writeFileAtomic(file, JSON.stringify(this.data, null, 2) + "\n");
      } catch (err) {
        this.onWriteFailed((err as NodeJS.ErrnoException).code ?? (err as Error).message);
      }
    });
  }
}
