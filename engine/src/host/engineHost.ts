import { EventEmitter } from "node:events";
import { mkdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { version } from "../../../package.json";
import { offersSecurityNone } from "../config/listenAddress";
import { ConfigError, loadConfigFile } from "../config/loadConfig";
import { loadConfigOffThread } from "../config/loadConfigOffThread";
import type { RedundancyConfig, ServerPairConfig } from "../config/model";
import type { ConfigDiagnostic } from "../config/validate";
import type { EmailRecipientResult, EngineSecrets, EngineSnapshot, PairSnapshot, RuntimeEvent } from "../control/protocol";
import { eventId, eventKindOf, formatEventText, type Side } from "../events/catalog";
import { EventLog } from "../events/eventLog";
import { EventStore, loadEvents, saveEventsAs } from "../events/eventStore";
import { Notifier } from "../notify/notifier";
import type { PairRuntime } from "../pair/pairRuntime";
import { EnabledStore } from "../state/enabledStore";
import { refuseSharedState, steeringPaths } from "../state/privateState";
import { defaultStateDir, eventLogFile, namespaceFile, statePaths, type StatePaths } from "../state/stateDir";
import { ServerTrust } from "../upstream/serverTrust";
import { actor } from "./actor";
import { describeDiff, diffConfigs, isEmptyDiff } from "./configDiff";
import { disabledSnapshot } from "./disabledSnapshot";
import { cliEnableHint, commandWord, type EnableHint } from "./enableHint";
import { EndpointService } from "./endpointService";
import { portIsFree } from "./portIsFree";
import { watchFile } from "./fileWatcher";
import { faultOwner, outsideAnyPair, runAsPair, type FaultOwner } from "../pair/faultOwner";
import { FAULT_MEMORY_MS, faultText, restartDelayMs } from "./pairFaults";
import type { PairParts } from "./pairParts";

export interface EngineHostOptions {
  configFile: string;
  stateDir: string;
  parts: PairParts;
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

type Fields = Record<string, string | number>;

interface Slot {
  config: ServerPairConfig;
  enabled: boolean;
  pair?: PairRuntime;
  /** The snapshot listeners were told last, as JSON. */
  lastTold?: string;
  /** The running pair's client endpoint, started and kept serving. */
  endpoint?: EndpointService;
  /** What the running pair's work carries, so that its faults are told apart from the others' (pairFaults.ts). */
  owner?: FaultOwner;
  /** When the running pair was started, and its faults in a row (each one without a long healthy run before it). */
  startedAt?: number;
  faults?: number;
  /** The restart of a pair stopped by a fault, pending. */
  restart?: NodeJS.Timeout;
  /** The next look at a taken port the pair's changed settings wait for (keptOnTakenPorts). */
  portWait?: NodeJS.Timeout;
}

const DEFAULT_RELOAD_DEBOUNCE_MS = 300;
/** How often a pair kept on its old port looks whether its new one is free. */
const PORT_WAIT_MS = 3000;

/**
 * The engine: one config file, one running Pair (and its client endpoint) per enabled `<server>`,
 * the event log and the notifier around them. Applies config changes without a restart (only the
 * pairs that changed are restarted; an invalid file is refused and the pairs keep running) and
 * enable/disable from this machine's state folder. Every change of state goes through one queue,
 * so a reload never races an enable.
 */
export class EngineHost {
  readonly processName = `redundancymaster[${process.pid}]`;
  readonly configFile: string;
  readonly paths: StatePaths;
  readonly eventLogFile: string;
  /** The trust list of upstream server certificates, `<state>/pki/upstream`. */
  readonly trust: ServerTrust;
  private readonly enabledStore: EnabledStore;
  private readonly emitter = new EventEmitter();
  private readonly startedAt = new Date().toISOString();
  private config!: RedundancyConfig;
  private log = new EventLog(5000);
  private store: EventStore | undefined;
  private notifier: Notifier | undefined;
  private slots = new Map<string, Slot>();
  private queue: Promise<unknown> = Promise.resolve();
  private watchers: { close(): void }[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: EngineHostOptions) {
    this.configFile = resolve(options.configFile);
    this.paths = statePaths(options.stateDir);
    this.eventLogFile = eventLogFile(options.stateDir, this.configFile);
    this.enabledStore = new EnabledStore(this.paths.enabled);
    this.trust = new ServerTrust(join(this.paths.pki, "upstream"));
  }

  onEvent(listener: (event: RuntimeEvent) => void): void {
    this.emitter.on("event", listener);
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
      const { config, diagnostics } = await loadConfigFile(this.configFile);
      this.config = config;
      this.logWarnings(diagnostics);
      await mkdir(this.paths.dir, { recursive: true, mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
        throw new Error(`cannot use the state folder ${this.paths.dir}: ${err.code ?? err.message}; choose another with --state-dir`);
      });
      await refuseSharedState(steeringPaths(this.paths));
      const enabled = await this.enabledStore.enabledPairs(this.configFile);
      await this.openEventLog(config);
      this.notifier = new Notifier(config.notifications, {
        postEvent: (kind, fields) => this.post(kind, fields),
        secrets: this.options.secrets,
        log: this.options.log,
      });
      if (this.options.watchConfig ?? true) {
        const debounce = this.options.reloadDebounceMs ?? DEFAULT_RELOAD_DEBOUNCE_MS;
        for (const [file, onChange] of [[this.configFile, () => void this.reload(true)], [this.paths.enabled, () => void this.applyEnabledFile()]] as const) {
          const watcher = watchFile(file, debounce, onChange);
          if (watcher.error) this.options.log?.(`changes of ${file} are not applied live (${watcher.error}); use the reload call or restart`);
          this.watchers.push(watcher);
        }
      }
      for (const pair of config.servers) this.slots.set(pair.effectiveName, { config: pair, enabled: enabled.has(pair.effectiveName) });
      await Promise.all([...this.slots.values()].map((slot) => (slot.enabled ? this.startSlot(slot) : this.postNotEnabled(slot.config))));
    });
  }

  private async openEventLog(config: RedundancyConfig): Promise<void> {
    const { maxEvents, preserveOnShutdown } = config.diagnostics;
    const loaded = preserveOnShutdown ? await loadEvents(this.eventLogFile) : undefined;
    this.log = new EventLog(maxEvents, loaded);
    this.setPreserve(preserveOnShutdown);
    if (loaded?.problem) this.post("eventLogUnreadable", { file: this.eventLogFile, detail: loaded.problem });
  }

  private setPreserve(preserve: boolean): void {
    if (!preserve) {
      this.store?.close();
      this.store = undefined;
      return;
    }
    this.store ??= new EventStore(this.log, {
      file: this.eventLogFile,
      debounceMs: this.options.persistDebounceMs,
      onWriteFailed: (detail) => this.post("eventLogWriteFailed", { file: this.eventLogFile, detail }),
    });
    this.store.changed();
  }

  snapshot(): EngineSnapshot {
    return { version, configFile: this.configFile, startedAt: this.startedAt, pairs: [...this.slots.values()].map((s) => this.slotSnapshot(s)) };
  }

  /** The running pair of that name (the demo watches its active side). */
  pair(name: string): PairRuntime | undefined {
    return this.slots.get(name)?.pair;
  }

  listEvents(limit?: number): RuntimeEvent[] {
    return this.log.list(limit);
  }

  resetEvents(): void {
    this.log.reset();
    this.store?.changed();
  }

  /** Save As: the log as plain text (events/eventLines.ts); throws the system error of an unwritable target. */
  saveEvents(file: string): Promise<number> {
    return saveEventsAs(this.log.list(), resolve(file));
  }

  testEmail(): Promise<EmailRecipientResult[]> {
    return this.notifier!.sendTest();
  }

  setSecrets(secrets: EngineSecrets): void {
    this.notifier?.updateSecrets(secrets);
  }

  /** Enables or disables one pair on this machine: records it in the state folder, then starts or stops that pair only. `by` is who asked (audit). */
  setEnabled(name: string, enabled: boolean, by?: string): Promise<PairSnapshot> {
    return this.serially(async () => {
      const slot = this.slotNamed(name);
      await this.enabledStore.set(this.configFile, [name], enabled);
      await this.applyEnabled(slot, enabled, by);
      return this.slotSnapshot(slot);
    });
  }

  /** An operator's switch to the other side; failoverRequested says who asked and what came of it. */
  forceFailover(name: string, by: string): Promise<PairSnapshot> {
    return this.serially(async () => {
      const slot = this.slotNamed(name);
      const { pair, owner } = slot;
      if (!pair || !owner) throw new Error(`pair '${name}' is disabled on this machine; enable it first`);
      const from = pair.snapshot().active;
      await runAsPair(owner, () => pair.forceFailover());
      const after = this.slotSnapshot(slot);
      const to = from === "primary" ? "secondary" : "primary";
      const detail = !from ? "refused, no side is active"
        : after.active === to ? `the ${to} is now active`
        : slot.config.connection.mode === "cold" ? `connecting to the ${to}; the ${from} stays active until it answers`
        : `refused, the ${to} is not available; the ${from} stays active`;
      this.post("failoverRequested", { server: name, by, detail }, { pair: name });
      return after;
    });
  }

  /**
   * Trusts the certificate a side's server presented and the trust list refused (the thumbprint the
   * person was shown); the side's next connection attempt (within 4 s) uses it and posts
   * serverCertificateTrusted with `by`.
   */
  async trustServerCertificate(name: string, side: Side, thumbprint: string, by: string): Promise<PairSnapshot> {
    const slot = this.slotNamed(name);
    await this.trust.trust(slot.config[side].url, thumbprint, by);
    return this.slotSnapshot(slot);
  }

  /** The configs of every pair, enabled or not (for the connection test). */
  pairConfig(name: string): ServerPairConfig {
    return this.slotNamed(name).config;
  }

  /**
   * Reads the config file again and applies what changed: removed pairs stop, changed ones
   * restart, added ones start (when enabled here); the others keep their sessions. A file with
   * errors is refused with its first diagnostics and changes nothing. `fromWatcher` skips a save
   * that changed nothing, so touching the file posts no event.
   */
  reload(fromWatcher = false, by = fromWatcher ? "file change" : undefined): Promise<{ applied: boolean; detail: string }> {
    return this.serially(async () => {
      if (this.stopping) return { applied: false, detail: "the engine is stopping" };
      let next: RedundancyConfig;
      try {
        const loaded = await loadConfigOffThread(this.configFile);
        next = loaded.config;
        this.logWarnings(loaded.diagnostics);
      } catch (err) {
        const detail = rejectionDetail(err);
        this.post("configRejected", { file: this.configFile, ...(by ? { by } : {}), detail });
        return { applied: false, detail };
      }
      const diff = diffConfigs(this.config, next);
      const detail = describeDiff(diff);
      if (fromWatcher && isEmptyDiff(diff)) return { applied: true, detail };
      const enabled = await this.enabledStore.enabledPairs(this.configFile).catch(() => this.enabledNames());
      const kept = await this.keptOnTakenPorts(diff.changed, next);
      const restarted = diff.changed.filter((name) => !kept.includes(name));
      await Promise.all([...diff.removed, ...restarted].map((name) => this.stopSlot(this.slots.get(name)!)));
      const slots = new Map<string, Slot>();
      for (const config of next.servers) {
        const slot = this.slots.get(config.effectiveName) ?? { config, enabled: enabled.has(config.effectiveName) };
        slot.config = config;
        slots.set(config.effectiveName, slot);
      }
      this.slots = slots;
      this.config = next;
      this.log.setMaxEvents(next.diagnostics.maxEvents);
      this.setPreserve(next.diagnostics.preserveOnShutdown);
      this.notifier!.updateConfig(next.notifications);
      for (const name of kept) this.waitForPort(this.slots.get(name)!);
      await Promise.all([
        ...restarted.map((name) => this.slots.get(name)!).filter((s) => s.enabled).map((s) => this.startSlot(s)),
        ...diff.added.map((name) => this.slots.get(name)!).map((s) => (s.enabled ? this.startSlot(s) : this.postNotEnabled(s.config))),
      ]);
      const told = describeDiff(diff, kept);
      this.post("configReloaded", { file: this.configFile, ...(by ? { by } : {}), detail: told });
      for (const name of [...diff.changed, ...diff.added]) this.pairChanged(this.slots.get(name)!);
      return { applied: true, detail: told };
    });
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
      const slot = this.slots.get(config.effectiveName)!;
      const running = slot.pair?.config;
      if (!running || running.port === config.port || (await portIsFree(config.listen, config.port))) continue;
      kept.push(config.effectiveName);
      this.post("endpointPortKept", { server: config.effectiveName, old: running.port, port: config.port }, { pair: config.effectiveName });
    }
    return kept;
  }

  /** Applies a kept pair's settings once its new port is free, looking every few seconds. */
  private waitForPort(slot: Slot): void {
    clearTimeout(slot.portWait);
    slot.portWait = setTimeout(() => void this.serially(async () => {
      slot.portWait = undefined;
      const pair = slot.pair;
      if (this.stopping || this.slots.get(slot.config.effectiveName) !== slot || !pair || pair.config === slot.config) return;
      if (!(await portIsFree(slot.config.listen, slot.config.port))) return this.waitForPort(slot);
      await this.stopSlot(slot);
      await this.startSlot(slot);
      this.pairChanged(slot);
    }), PORT_WAIT_MS);
  }

  /**
   * An uncaught exception or unhandled rejection of the process (the `run` verb's handlers call
   * this). The pair whose work raised it is stopped and started again after restartDelayMs, alone;
   * an error that belongs to no running pair is posted and changes nothing. Either way the event
   * is written to the preserved log at once, and the engine carries on.
   */
  reportFault(error: unknown): void {
    const owner = faultOwner();
    outsideAnyPair(() => {
      const slot = owner && !this.stopping ? [...this.slots.values()].find((s) => s.owner === owner) : undefined;
      if (!slot) {
        this.post("engineFault", { detail: faultText(error) });
      } else {
        this.restartAfterFault(slot, faultText(error));
      }
      void this.store?.flush();
    });
  }

  private restartAfterFault(slot: Slot, detail: string): void {
    const { pair } = slot;
    const healthyRun = slot.startedAt !== undefined && Date.now() - slot.startedAt >= FAULT_MEMORY_MS;
    const faults = healthyRun ? 1 : (slot.faults ?? 0) + 1;
    const delayMs = restartDelayMs(faults);
    const server = slot.config.effectiveName;
    // Its further faults while it stops are part of this one.
    slot.owner = undefined;
    this.post("pairFault", { server, detail, delay: delayMs / 1000 }, { pair: server });
    void this.serially(async () => {
      if (slot.pair !== pair || this.stopping) return;
      await this.stopSlot(slot);
      slot.faults = faults;
      slot.restart = setTimeout(() => void this.serially(async () => {
        slot.restart = undefined;
        if (this.stopping || this.slots.get(server) !== slot || !slot.enabled || slot.pair) return;
        await this.startSlot(slot);
        this.pairChanged(slot);
      }), delayMs);
      this.pairChanged(slot);
    });
  }

  /** Stops every pair, sends pending mails, and writes the preserved log; idempotent. `by`: the operator or signal that asked (audit). */
  stop(by?: string): Promise<void> {
    if (by && !this.stopping && this.config) this.post("engineStopping", { by });
    this.stopping ??= (async () => {
      for (const w of this.watchers) w.close();
      await this.queue.catch(() => undefined);
      await Promise.all([...this.slots.values()].map((slot) => this.stopSlot(slot)));
      await this.notifier?.close();
      await this.store?.flush();
      this.store?.close();
    })();
    return this.stopping;
  }

  /** A loaded file's warnings (they do not stop it), in validate's words, on the operational log. */
  private logWarnings(diagnostics: ConfigDiagnostic[]): void {
    for (const d of diagnostics) this.options.log?.(`${this.configFile}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private slotNamed(name: string): Slot {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`no pair named '${name}' in ${this.configFile} (pairs: ${[...this.slots.keys()].join(", ") || "none"})`);
    return slot;
  }

  private enabledNames(): Set<string> {
    return new Set([...this.slots.values()].filter((s) => s.enabled).map((s) => s.config.effectiveName));
  }

  private slotSnapshot(slot: Slot): PairSnapshot {
    const notServing = slot.endpoint?.notServing;
    if (slot.pair) return notServing === undefined ? slot.pair.snapshot() : { ...slot.pair.snapshot(), notServing };
    // Enabled but not running: its start failed (pairStartFailed says why).
    return slot.enabled ? { ...disabledSnapshot(slot.config), enabled: true, status: "Pair not available" } : disabledSnapshot(slot.config);
  }

  /** The enabled-pairs file changed outside the control channel: `enable`/`disable` on the command line, by the file's owner (an atomic write makes the writer its owner). */
  private applyEnabledFile(): Promise<void> {
    return this.serially(async () => {
      if (this.stopping) return;
      const by = await stat(this.paths.enabled).then((s) => actor("command line", s.uid), () => actor("command line"));
      const enabled = await this.enabledStore.enabledPairs(this.configFile).catch((err: Error) => {
        this.options.log?.(`enabled-pairs file not applied: ${err.message}`);
        return undefined;
      });
      if (!enabled) return;
      for (const slot of this.slots.values()) await this.applyEnabled(slot, enabled.has(slot.config.effectiveName), by);
    });
  }

  private async applyEnabled(slot: Slot, enabled: boolean, by?: string): Promise<void> {
    if (slot.enabled === enabled) return;
    slot.enabled = enabled;
    const server = slot.config.effectiveName;
    const who: Fields = by ? { by } : {};
    if (enabled) {
      this.post("pairEnabled", { server, ...who }, { pair: server });
      await this.startSlot(slot);
    } else {
      await this.stopSlot(slot);
      this.post("pairDisabled", { server, ...who }, { pair: server });
    }
    this.pairChanged(slot);
  }

  /** Tells listeners a pair's snapshot, unless it equals the one they were told last (pairs report changes that show in no field). */
  private pairChanged(slot: Slot): void {
    const snapshot = this.slotSnapshot(slot);
    const text = JSON.stringify(snapshot);
    if (text === slot.lastTold) return;
    slot.lastTold = text;
    this.emitter.emit("pairChanged", snapshot);
  }

  private postNotEnabled(config: ServerPairConfig): void {
    const hint = this.options.enableHint ?? cliEnableHint(this.paths.dir);
    this.post("pairNotEnabled", { server: config.effectiveName, how: hint(this.configFile, config.effectiveName) }, { pair: config.effectiveName });
  }

  private startSlot(slot: Slot): Promise<void> {
    const owner: FaultOwner = { name: slot.config.effectiveName };
    slot.owner = owner;
    slot.startedAt = Date.now();
    return runAsPair(owner, () => this.startPair(slot));
  }

  private async startPair(slot: Slot): Promise<void> {
    const { config } = slot;
    const pair = this.options.parts.createPair(config, this.hooksFor(slot, config), {
      pkiDir: join(this.paths.pki, "upstream"),
      process: this.processName,
      trust: this.trust,
      trustCommand: (side, thumbprint) => trustCommand(this.configFile, this.paths.dir, config.effectiveName, side, thumbprint),
      namespaceFile: namespaceFile(this.paths.dir, this.configFile, config.effectiveName),
    });
    slot.pair = pair;
    try {
      await pair.start();
    } catch (err) {
      slot.pair = undefined;
      await pair.stop().catch(() => undefined);
      this.post("pairStartFailed", { server: config.effectiveName, detail: messageOf(err) }, { pair: config.effectiveName });
      return;
    }
    const startEndpoint = this.options.parts.startEndpoint;
    if (!startEndpoint) return;
    // Not awaited: an endpoint waits for a first mirror of its upstream (seconds while the servers are
    // down), which must not hold up the other pairs, enable/disable or a reload. Its own trust list
    // (of clients), beside the upstream one (of servers). The pair keeps running (its status stays
    // visible) while its clients have no endpoint, and the endpoint is tried again until it starts.
    const server = config.effectiveName;
    const endpointOptions = { port: config.port, listen: config.listen, offerSecurityNone: offersSecurityNone(config), applicationName: server, pkiDir: join(this.paths.pki, "endpoint") };
    slot.endpoint = new EndpointService(config.port, () => startEndpoint(pair, endpointOptions), {
      post: (kind, fields) => outsideAnyPair(() => this.post(kind, { server, ...fields }, { pair: server })),
      changed: () => outsideAnyPair(() => {
        if (slot.pair === pair) this.pairChanged(slot);
      }),
    });
  }

  private async stopSlot(slot: Slot): Promise<void> {
    const { pair, endpoint } = slot;
    clearTimeout(slot.restart);
    clearTimeout(slot.portWait);
    slot.restart = undefined;
    slot.portWait = undefined;
    slot.pair = undefined;
    slot.endpoint = undefined;
    slot.owner = undefined;
    await endpoint?.stop().catch((err) => this.options.log?.(`endpoint of '${slot.config.effectiveName}' did not stop cleanly: ${messageOf(err)}`));
    await pair?.stop().catch((err) => this.options.log?.(`pair '${slot.config.effectiveName}' did not stop cleanly: ${messageOf(err)}`));
  }

  /** A pair's hooks; events and changes of a pair that was since stopped or replaced still reach the log, but no longer its slot's snapshot. */
  private hooksFor(slot: Slot, config: ServerPairConfig) {
    // The host's work a pair's callback starts (listeners, mails) is not the pair's: its faults are not the pair's either.
    return {
      postEvent: ({ kind, side, fields }: { kind: string; side?: Side; fields: Fields }) => outsideAnyPair(() => {
        const defaults: Fields = { server: config.effectiveName, ...(side ? { side, machine: config[side].host } : {}) };
        this.post(kind, { ...defaults, ...fields }, { pair: config.effectiveName, side, process: typeof fields.process === "string" ? fields.process : undefined });
      }),
      onChanged: () => outsideAnyPair(() => {
        if (slot.pair) this.pairChanged(slot);
      }),
    };
  }

  private post(kind: string, fields: Fields, where: { pair?: string; side?: Side; process?: string } = {}): void {
    const found = eventKindOf(kind);
    // A kind the catalog lacks (or a side missing or extra) is a poster's bug; the event is still shown, never lost.
    const spec = found && found.kind === kind && found.perSide === (where.side !== undefined) ? found : undefined;
    const event = this.log.append({
      id: spec ? eventId(kind, where.side) : kind,
      severity: spec?.severity ?? "warning",
      text: spec ? formatEventText(kind, fields) : `${kind}: ${JSON.stringify(fields)}`,
      process: where.process ?? this.processName,
      pair: where.pair,
      side: where.side,
    });
    this.store?.changed();
    this.emitter.emit("event", event);
    this.notifier?.notify(event);
  }
}

/** The command line that trusts a side's refused certificate, for the refusal's event (the state folder named when it is not the default). */
function trustCommand(configFile: string, stateDir: string, pair: string, side: Side, thumbprint: string): string {
  const words = ["redundancymaster", "trust", configFile, pair, side, "--thumbprint", thumbprint];
  if (resolve(stateDir) !== resolve(defaultStateDir())) words.push("--state-dir", stateDir);
  return words.map(commandWord).join(" ");
}

function rejectionDetail(err: unknown): string {
  if (err instanceof ConfigError) {
    const first = err.diagnostics.filter((d) => d.severity === "error").slice(0, 3).map((d) => `line ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
    return `${err.errorCount} error${err.errorCount === 1 ? "" : "s"} (${first.join("; ")}${err.errorCount > 3 ? "; …" : ""}); the running pairs keep their previous settings`;
  }
  return `${messageOf(err)}; the running pairs keep their previous settings`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
