import { EventEmitter } from "node:events";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { version } from "../../../package.json";
import type { RedundancyConfig, ServerPairConfig } from "../config/model";
import type { EmailRecipientResult, EngineMetrics, EngineSecrets, EngineSnapshot, PairSnapshot, RuntimeEvent } from "../control/protocol";
import type { Side } from "../events/catalog";
import { MetricsCollector, type PairFigures } from "../metrics/metricsCollector";
import { MetricsServer } from "../metrics/metricsServer";
import { prometheusText } from "../metrics/prometheusText";
import { Notifier } from "../notify/notifier";
import { runAsPair } from "../pair/faultOwner";
import type { PairRuntime } from "../pair/pairRuntime";
import { EnabledStore } from "../state/enabledStore";
import { refuseSharedState, steeringPaths } from "../state/privateState";
import { eventLogFile, statePaths, type StatePaths } from "../state/stateDir";
import { ServerTrust } from "../upstream/serverTrust";
import { ConfigReload, type ReloadResult } from "./configReload";
import type { EnableHint } from "./enableHint";
import { EngineEvents } from "./engineEvents";
import { watchFile } from "./fileWatcher";
import type { HostContext } from "./hostContext";
import { PairEnablement } from "./pairEnablement";
import { PairLifecycle } from "./pairLifecycle";
import type { PairFactory } from "./pairFactory";

export interface EngineHostOptions {
  configFile: string;
  stateDir: string;
  factory: PairFactory;
  secrets?: EngineSecrets;
  /** Apply config file changes without a restart (default true). */
  watchConfig?: boolean;
  /** How long a burst of file changes settles before a reload (editors write several times per save). */
  reloadDebounceMs?: number;
  /** How long event log changes gather before one disk write. */
  persistDebounceMs?: number;
  /** Operational lines that are not runtime events (e-mail delivery); never contains a secret. */
  log?: (line: string) => void;
  /** How pairNotEnabled tells the operator to enable a pair (default: the CLI line for this state folder). */
  enableHint?: EnableHint;
}

const DEFAULT_RELOAD_DEBOUNCE_MS = 300;

/**
 * The engine: one config file, one running Pair (and its client endpoint) per enabled `<server>`,
 * the event log and the notifier around them. It wires its parts: the events (engineEvents.ts),
 * the pairs' lifecycle (pairLifecycle.ts), which pairs run on this machine (pairEnablement.ts) and
 * the config's reloads (configReload.ts). Every change of state goes through one queue, so a
 * reload never races an enable.
 */
export class EngineHost {
  readonly processName = `redundancymaster[${process.pid}]`;
  readonly configFile: string;
  readonly paths: StatePaths;
  readonly eventLogFile: string;
  /** The trust list of upstream server certificates, `<state>/pki/upstream`. */
  readonly trust: ServerTrust;
  private readonly events: EngineEvents;
  private readonly pairs: PairLifecycle;
  private readonly enablement: PairEnablement;
  private readonly config: ConfigReload;
  private readonly emitter = new EventEmitter();
  private readonly startedAt = new Date().toISOString();
  private queue: Promise<unknown> = Promise.resolve();
  private watchers: { close(): void }[] = [];
  private stopping: Promise<void> | undefined;
  private readonly collector = new MetricsCollector(() => this.pairFigures());
  private readonly metricsServer: MetricsServer;

  constructor(private readonly options: EngineHostOptions) {
    this.configFile = resolve(options.configFile);
    this.paths = statePaths(options.stateDir);
    this.eventLogFile = eventLogFile(options.stateDir, this.configFile);
    this.trust = new ServerTrust(join(this.paths.pki, "upstream"));
    this.events = new EngineEvents({ file: this.eventLogFile, processName: this.processName, persistDebounceMs: options.persistDebounceMs });
    const host: HostContext = {
      configFile: this.configFile,
      paths: this.paths,
      processName: this.processName,
      events: this.events,
      stopping: () => this.stopping !== undefined,
      serially: (work) => this.serially(work),
      log: (line) => options.log?.(line),
    };
    this.pairs = new PairLifecycle(host, { factory: options.factory, trust: this.trust, enableHint: options.enableHint, changed: (snapshot) => this.emitter.emit("pairChanged", snapshot) });
    this.enablement = new PairEnablement(host, new EnabledStore(this.paths.enabled), this.pairs);
    this.config = new ConfigReload(host, this.pairs, this.enablement, (next) => this.applyEngineSettings(next));
    this.metricsServer = new MetricsServer({ text: () => prometheusText(this.metrics()), post: (kind, fields) => this.events.post(kind, fields) });
  }

  onEvent(listener: (event: RuntimeEvent) => void): void {
    this.events.onEvent(listener);
  }

  onPairChanged(listener: (pair: PairSnapshot) => void): void {
    this.emitter.on("pairChanged", listener);
  }

  /**
   * Loads the config and starts the enabled pairs. Throws (ConfigError, ConfigReadError, an
   * unusable state folder or enabled-pairs file) before anything runs; attach listeners first to
   * see the start-up events.
   */
  start(): Promise<void> {
    // In the queue, so that a change saved while the pairs are still starting is applied after them.
    return this.serially(async () => {
      const config = await this.config.load();
      await mkdir(this.paths.dir, { recursive: true, mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
        throw new Error(`cannot use the state folder ${this.paths.dir}: ${err.code ?? err.message}; choose another with --state-dir`);
      });
      await refuseSharedState(steeringPaths(this.paths));
      const enabled = await this.enablement.enabledPairs();
      await this.events.open(config.diagnostics);
      this.events.notifier = new Notifier(config.notifications, {
        postEvent: (kind, fields) => this.events.post(kind, fields),
        secrets: this.options.secrets,
        log: this.options.log,
      });
      if (this.options.watchConfig ?? true) this.watchFiles();
      await this.metricsServer.serve(config.metrics?.port);
      for (const pair of config.servers) this.pairs.slots.set(pair.effectiveName, { config: pair, enabled: enabled.has(pair.effectiveName) });
      await Promise.all(this.pairs.all().map((slot) => (slot.enabled ? this.pairs.start(slot) : this.pairs.postNotEnabled(slot.config))));
    });
  }

  snapshot(): EngineSnapshot {
    return { version, configFile: this.configFile, startedAt: this.startedAt, pairs: this.pairs.all().map((s) => this.pairs.snapshot(s)), metrics: this.metrics() };
  }

  /** The engine's and each running pair's operating figures (metrics/). */
  metrics(): EngineMetrics {
    return this.collector.metrics();
  }

  /** The running pair of that name (the demo watches its active side). */
  pair(name: string): PairRuntime | undefined {
    return this.pairs.slots.get(name)?.pair;
  }

  listEvents(limit?: number): RuntimeEvent[] {
    return this.events.list(limit);
  }

  resetEvents(): void {
    this.events.reset();
  }

  /** Save As: the log as plain text (events/eventLines.ts); throws the system error of an unwritable target. */
  saveEvents(file: string): Promise<number> {
    return this.events.saveAs(file);
  }

  testEmail(): Promise<EmailRecipientResult[]> {
    return this.events.notifier!.sendTest();
  }

  setSecrets(secrets: EngineSecrets): void {
    this.events.notifier?.updateSecrets(secrets);
  }

  /** Enables or disables one pair on this machine: records it in the state folder, then starts or stops that pair only. `by` is who asked (audit). */
  setEnabled(name: string, enabled: boolean, by?: string): Promise<PairSnapshot> {
    return this.enablement.set(name, enabled, by);
  }

  /** An operator's switch to the other side; failoverRequested says who asked and what came of it. */
  forceFailover(name: string, by: string): Promise<PairSnapshot> {
    return this.serially(async () => {
      const slot = this.pairs.named(name);
      const { pair, owner } = slot;
      if (!pair || !owner) throw new Error(`pair '${name}' is disabled on this machine; enable it first`);
      const from = pair.snapshot().active;
      await runAsPair(owner, () => pair.forceFailover());
      const after = this.pairs.snapshot(slot);
      const to = from === "primary" ? "secondary" : "primary";
      const detail = !from
        ? "refused, no side is active"
        : after.active === to
          ? `the ${to} is now active`
          : slot.config.connection.mode === "cold"
            ? `connecting to the ${to}; the ${from} stays active until it answers`
            : `refused, the ${to} is not available; the ${from} stays active`;
      this.events.post("failoverRequested", { server: name, by, detail }, { pair: name });
      return after;
    });
  }

  /**
   * Trusts the certificate a side's server presented and the trust list refused (the thumbprint the
   * person was shown); the side's next connection attempt (within 4 s) uses it and posts
   * serverCertificateTrusted with `by`.
   */
  async trustServerCertificate(name: string, side: Side, thumbprint: string, by: string): Promise<PairSnapshot> {
    const slot = this.pairs.named(name);
    await this.trust.trust(slot.config[side].url, thumbprint, by);
    return this.pairs.snapshot(slot);
  }

  /** The configs of every pair, enabled or not (for the connection test). */
  pairConfig(name: string): ServerPairConfig {
    return this.pairs.named(name).config;
  }

  /**
   * Reads the config file again and applies what changed (configReload.ts). A file with errors is
   * refused with its first diagnostics and changes nothing. `fromWatcher` skips a save that
   * changed nothing, so touching the file posts no event.
   */
  reload(fromWatcher = false, by = fromWatcher ? "file change" : undefined): Promise<ReloadResult> {
    return this.config.reload(fromWatcher, by);
  }

  /**
   * An uncaught exception or unhandled rejection of the process (the `run` verb's handlers call
   * this): the pair whose work raised it alone is restarted (pairLifecycle.ts). Either way the
   * event is written to the preserved log at once, and the engine carries on.
   */
  reportFault(error: unknown): void {
    this.pairs.reportFault(error);
    void this.events.flush();
  }

  /** Stops every pair, sends pending mails, and writes the preserved log; idempotent. `by`: the operator or signal that asked (audit). */
  stop(by?: string): Promise<void> {
    if (by && !this.stopping && this.config.current) this.events.post("engineStopping", { by });
    this.stopping ??= (async () => {
      for (const w of this.watchers) w.close();
      await this.queue.catch(() => undefined);
      await Promise.all(this.pairs.all().map((slot) => this.pairs.stop(slot)));
      await this.metricsServer.close();
      this.collector.dispose();
      await this.events.notifier?.close();
      await this.events.close();
    })();
    return this.stopping;
  }

  private watchFiles(): void {
    const debounce = this.options.reloadDebounceMs ?? DEFAULT_RELOAD_DEBOUNCE_MS;
    for (const [file, onChange] of [
      [this.configFile, () => void this.reload(true)],
      [this.paths.enabled, () => void this.enablement.applyFile()],
    ] as const) {
      const watcher = watchFile(file, debounce, onChange);
      if (watcher.error) this.options.log?.(`changes of ${file} are not applied live (${watcher.error}); use the reload call or restart`);
      this.watchers.push(watcher);
    }
  }

  private applyEngineSettings(next: RedundancyConfig): void {
    this.events.configure(next.diagnostics);
    this.events.notifier!.updateConfig(next.notifications);
    void this.metricsServer.serve(next.metrics?.port);
  }

  private pairFigures(): Map<string, PairFigures> {
    const figures = new Map<string, PairFigures>();
    for (const slot of this.pairs.all()) {
      const own = slot.pair?.figures?.();
      if (own) figures.set(slot.config.effectiveName, { downstreamItems: 0, clientQueuedValues: 0, ...own, ...slot.endpoint?.figures() });
    }
    return figures;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
