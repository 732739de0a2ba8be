import { mkdir, readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { writeFileAtomic } from "./atomicFile";

const FORMAT = "redundancymaster-enabled";
const VERSION = 1;

interface EnabledFile {
  format: typeof FORMAT;
  version: typeof VERSION;
  /** Absolute config path → effective name → enabled. */
  configs: Record<string, Record<string, boolean>>;
}

/**
 * Which pairs are enabled on this machine, kept in the state folder and not in the config, so a
 * config copied to another machine starts with every pair disabled (the seed's Deployment
 * section): a pair without a record is disabled. Keyed by the config file's absolute path and
 * the pair's effective name.
 */
export class EnabledStore {
  constructor(readonly file: string) {}

  /** The enabled effective names of one config. Throws when the file exists but is not a valid store (the verbs must not overwrite it then). */
  async enabledPairs(configFile: string): Promise<Set<string>> {
    const records = (await this.read()).configs[resolve(configFile)] ?? {};
    return new Set(
      Object.entries(records)
        .filter(([, on]) => on)
        .map(([name]) => name),
    );
  }

  /** Records the state of the given pairs (atomic write). */
  async set(configFile: string, names: readonly string[], enabled: boolean): Promise<void> {
    const data = await this.read();
    const key = resolve(configFile);
    const records = (data.configs[key] ??= {});
    for (const name of names) records[name] = enabled;
    await mkdir(dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify(data, null, 2) + "\n");
  }

  private async read(): Promise<EnabledFile> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { format: FORMAT, version: VERSION, configs: {} };
      throw new Error(`cannot read the enabled-pairs file '${this.file}': ${(err as Error).message}`);
    }
    let data: EnabledFile;
    try {
      data = JSON.parse(text) as EnabledFile;
    } catch (err) {
      throw new Error(`the enabled-pairs file '${this.file}' is not valid JSON (${(err as Error).message}); fix or remove it`);
    }
    if (data?.format !== FORMAT || data.version !== VERSION || typeof data.configs !== "object" || data.configs === null) {
      throw new Error(`'${this.file}' is not a version ${VERSION} enabled-pairs file; fix or remove it`);
    }
    return data;
  }
}
