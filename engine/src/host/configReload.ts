import { ConfigError, loadConfigFile } from "../config/loadConfig";
import { loadConfigOffThread } from "../config/loadConfigOffThread";
import type { RedundancyConfig } from "../config/model";
import type { ConfigDiagnostic } from "../config/validate";
import { errorMessage } from "../errorMessage";
import { describeDiff, diffConfigs, isEmptyDiff } from "./configDiff";
import type { EventFields } from "./engineEvents";
import type { HostContext } from "./hostContext";
import type { PairEnablement } from "./pairEnablement";
import type { PairLifecycle, PairSlot } from "./pairLifecycle";
import { portIsFree } from "./portIsFree";

/** How often a pair kept on its old port looks whether its new one is free. */
const PORT_WAIT_MS = 3000;

export interface ReloadResult {
  applied: boolean;
  detail: string;
}

/**
 * The config file the engine runs: loaded at start, and applied again when it changes. Only what
 * changed is touched (removed pairs stop, changed ones restart, added ones start when enabled
 * here); a file with errors is refused and the pairs keep running; a pair moved to a port
 * another program holds keeps serving on its old one until the new one is free.
 */
export class ConfigReload {
  /** The config the pairs run with. */
  current!: RedundancyConfig;

  constructor(
    private readonly host: HostContext,
    private readonly pairs: PairLifecycle,
    private readonly enablement: PairEnablement,
    /** Applies what is not a pair's (event log settings, notifications) from a reloaded config. */
    private readonly applyEngineSettings: (next: RedundancyConfig) => void,
  ) {}

  /** The first load, on the engine's thread; throws what makes the file unusable. */
  async load(): Promise<RedundancyConfig> {
    const { config, diagnostics } = await loadConfigFile(this.host.configFile);
    this.logWarnings(diagnostics);
    this.current = config;
    return config;
  }

  /** `fromWatcher` skips a save that changed nothing, so touching the file posts no event; `by` is who asked (audit). */
  reload(fromWatcher: boolean, by: string | undefined): Promise<ReloadResult> {
    return this.host.serially(async () => {
      if (this.host.stopping()) return { applied: false, detail: "the engine is stopping" };
      const { configFile, events } = this.host;
      const who: EventFields = by ? { by } : {};
      let next: RedundancyConfig;
      try {
        // Checked in a worker: a huge or hostile file must not stall the values the pairs forward.
        const loaded = await loadConfigOffThread(configFile);
        next = loaded.config;
        this.logWarnings(loaded.diagnostics);
      } catch (err) {
        const detail = rejectionDetail(err);
        events.post("configRejected", { file: configFile, ...who, detail });
        return { applied: false, detail };
      }
      const diff = diffConfigs(this.current, next);
      if (fromWatcher && isEmptyDiff(diff)) return { applied: true, detail: describeDiff(diff) };
      const enabled = await this.enablement.enabledPairs().catch(() => this.enablement.enabledNow());
      const kept = await this.keptOnTakenPorts(diff.changed, next);
      const restarted = diff.changed.filter((name) => !kept.includes(name));
      await Promise.all([...diff.removed, ...restarted].map((name) => this.pairs.stop(this.pairs.named(name))));
      const slots = new Map<string, PairSlot>();
      for (const config of next.servers) {
        const slot = this.pairs.slots.get(config.effectiveName) ?? { config, enabled: enabled.has(config.effectiveName) };
        slot.config = config;
        slots.set(config.effectiveName, slot);
      }
      this.pairs.slots = slots;
      this.current = next;
      this.applyEngineSettings(next);
      for (const name of kept) this.waitForPort(this.pairs.named(name));
      await Promise.all([
        ...restarted
          .map((name) => this.pairs.named(name))
          .filter((s) => s.enabled)
          .map((s) => this.pairs.start(s)),
        ...diff.added.map((name) => this.pairs.named(name)).map((s) => (s.enabled ? this.pairs.start(s) : this.pairs.postNotEnabled(s.config))),
      ]);
      const detail = describeDiff(diff, kept);
      events.post("configReloaded", { file: configFile, ...who, detail });
      for (const name of [...diff.changed, ...diff.added]) this.pairs.changed(this.pairs.named(name));
      return { applied: true, detail };
    });
  }

  /** A loaded file's warnings (they do not stop it), in validate's words, on the operational log. */
  private logWarnings(diagnostics: ConfigDiagnostic[]): void {
    for (const d of diagnostics) this.host.log(`${this.host.configFile}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`);
  }

  /**
   * The changed pairs whose new port another program holds: they keep running as they were (their
   * clients keep their endpoint) and are moved once the port is free (waitForPort). A pair whose
   * port is taken between this look and its start is not left alone either: its endpoint is
   * retried until it starts (EndpointService).
   */
  private async keptOnTakenPorts(changed: string[], next: RedundancyConfig): Promise<string[]> {
    const kept: string[] = [];
    for (const config of next.servers.filter((s) => changed.includes(s.effectiveName))) {
      const running = this.pairs.named(config.effectiveName).pair?.config;
      if (!running || running.port === config.port || (await portIsFree(config.listen, config.port))) continue;
      kept.push(config.effectiveName);
      this.host.events.post("endpointPortKept", { server: config.effectiveName, old: running.port, port: config.port }, { pair: config.effectiveName });
    }
    return kept;
  }

  /** Applies a kept pair's settings once its new port is free, looking every few seconds. */
  private waitForPort(slot: PairSlot): void {
    clearTimeout(slot.portWait);
    slot.portWait = setTimeout(
      () =>
        void this.host.serially(async () => {
          slot.portWait = undefined;
          const pair = slot.pair;
          if (this.host.stopping() || this.pairs.slots.get(slot.config.effectiveName) !== slot || !pair || pair.config === slot.config) return;
          if (!(await portIsFree(slot.config.listen, slot.config.port))) return this.waitForPort(slot);
          await this.pairs.stop(slot);
          await this.pairs.start(slot);
          this.pairs.changed(slot);
        }),
      PORT_WAIT_MS,
    );
  }
}

function rejectionDetail(err: unknown): string {
  if (err instanceof ConfigError) {
    const first = err.diagnostics
      .filter((d) => d.severity === "error")
      .slice(0, 3)
      .map((d) => `line ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
    return `${err.errorCount} error${err.errorCount === 1 ? "" : "s"} (${first.join("; ")}${err.errorCount > 3 ? "; …" : ""}); the running pairs keep their previous settings`;
  }
  return `${errorMessage(err)}; the running pairs keep their previous settings`;
}
