import { join, resolve } from "node:path";
import { offersSecurityNone } from "../config/listenAddress";
import type { ServerPairConfig } from "../config/model";
import type { PairSnapshot } from "../control/protocol";
import { errorMessage } from "../errorMessage";
import type { EventPost, Side } from "../events/catalog";
import { faultOwner, outsideAnyPair, runAsPair, type FaultOwner } from "../pair/faultOwner";
import type { PairHooks, PairRuntime } from "../pair/pairRuntime";
import { defaultStateDir, namespaceFile } from "../state/stateDir";
import type { ServerTrust } from "../upstream/serverTrust";
import { disabledSnapshot } from "./disabledSnapshot";
import { cliEnableHint, commandWord, type EnableHint } from "./enableHint";
import type { EventFields } from "./engineEvents";
import { EndpointService } from "./endpointService";
import type { HostContext } from "./hostContext";
import { FAULT_MEMORY_MS, faultText, restartDelayMs } from "./pairFaults";
import type { PairFactory } from "./pairFactory";

/** One configured `<server>` of the host: its settings, whether it is enabled here, and its running pair and endpoint. */
export interface PairSlot {
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
  /** The next look at a taken port the pair's changed settings wait for (ConfigReload). */
  portWait?: NodeJS.Timeout;
}

export interface PairLifecycleOptions {
  factory: PairFactory;
  trust: ServerTrust;
  /** How pairNotEnabled tells the operator to enable a pair (default: the CLI line for this state folder). */
  enableHint?: EnableHint;
  /** A pair's snapshot changed. */
  changed(snapshot: PairSnapshot): void;
}

/**
 * The pairs of the config, one slot each: starting and stopping a pair with its endpoint, its
 * snapshot, and its restart after a fault (a pair is the unit of failure).
 */
export class PairLifecycle {
  slots = new Map<string, PairSlot>();

  constructor(
    private readonly host: HostContext,
    private readonly options: PairLifecycleOptions,
  ) {}

  named(name: string): PairSlot {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`no pair named '${name}' in ${this.host.configFile} (pairs: ${[...this.slots.keys()].join(", ") || "none"})`);
    return slot;
  }

  all(): PairSlot[] {
    return [...this.slots.values()];
  }

  snapshot(slot: PairSlot): PairSnapshot {
    const notServing = slot.endpoint?.notServing;
    if (slot.pair) return notServing === undefined ? slot.pair.snapshot() : { ...slot.pair.snapshot(), notServing };
    // Enabled but not running: its start failed (pairStartFailed says why).
    return slot.enabled ? { ...disabledSnapshot(slot.config), enabled: true, status: "Pair not available" } : disabledSnapshot(slot.config);
  }

  /** Tells listeners a pair's snapshot, unless it equals the one they were told last (pairs report changes that show in no field). */
  changed(slot: PairSlot): void {
    const snapshot = this.snapshot(slot);
    const text = JSON.stringify(snapshot);
    if (text === slot.lastTold) return;
    slot.lastTold = text;
    this.options.changed(snapshot);
  }

  postNotEnabled(config: ServerPairConfig): void {
    const hint = this.options.enableHint ?? cliEnableHint(this.host.paths.dir);
    this.host.events.post("pairNotEnabled", { server: config.effectiveName, how: hint(this.host.configFile, config.effectiveName) }, { pair: config.effectiveName });
  }

  start(slot: PairSlot): Promise<void> {
    const owner: FaultOwner = { name: slot.config.effectiveName };
    slot.owner = owner;
    slot.startedAt = Date.now();
    return runAsPair(owner, () => this.startPair(slot));
  }

  async stop(slot: PairSlot): Promise<void> {
    const { pair, endpoint } = slot;
    clearTimeout(slot.restart);
    clearTimeout(slot.portWait);
    slot.restart = undefined;
    slot.portWait = undefined;
    slot.pair = undefined;
    slot.endpoint = undefined;
    slot.owner = undefined;
    await endpoint?.stop().catch((err) => this.host.log(`endpoint of '${slot.config.effectiveName}' did not stop cleanly: ${errorMessage(err)}`));
    await pair?.stop().catch((err) => this.host.log(`pair '${slot.config.effectiveName}' did not stop cleanly: ${errorMessage(err)}`));
  }

  /**
   * An uncaught exception or unhandled rejection of the process. The pair whose work raised it is
   * stopped and started again after restartDelayMs, alone; an error that belongs to no running
   * pair is posted and changes nothing.
   */
  reportFault(error: unknown): void {
    const owner = faultOwner();
    outsideAnyPair(() => {
      const slot = owner && !this.host.stopping() ? this.all().find((s) => s.owner === owner) : undefined;
      if (!slot) {
        this.host.events.post("engineFault", { detail: faultText(error) });
      } else {
        this.restartAfterFault(slot, faultText(error));
      }
    });
  }

  private restartAfterFault(slot: PairSlot, detail: string): void {
    const { pair } = slot;
    const healthyRun = slot.startedAt !== undefined && Date.now() - slot.startedAt >= FAULT_MEMORY_MS;
    const faults = healthyRun ? 1 : (slot.faults ?? 0) + 1;
    const delayMs = restartDelayMs(faults);
    const server = slot.config.effectiveName;
    // Its further faults while it stops are part of this one.
    slot.owner = undefined;
    this.host.events.post("pairFault", { server, detail, delay: delayMs / 1000 }, { pair: server });
    void this.host.serially(async () => {
      if (slot.pair !== pair || this.host.stopping()) return;
      await this.stop(slot);
      slot.faults = faults;
      slot.restart = setTimeout(
        () =>
          void this.host.serially(async () => {
            slot.restart = undefined;
            if (this.host.stopping() || this.slots.get(server) !== slot || !slot.enabled || slot.pair) return;
            await this.start(slot);
            this.changed(slot);
          }),
        delayMs,
      );
      this.changed(slot);
    });
  }

  private async startPair(slot: PairSlot): Promise<void> {
    const { config } = slot;
    const { paths, configFile } = this.host;
    const pair = this.options.factory.createPair(config, this.hooksFor(slot, config), {
      pkiDir: join(paths.pki, "upstream"),
      process: this.host.processName,
      trust: this.options.trust,
      trustCommand: (side, thumbprint) => trustCommand(configFile, paths.dir, config.effectiveName, side, thumbprint),
      namespaceFile: namespaceFile(paths.dir, configFile, config.effectiveName),
    });
    slot.pair = pair;
    try {
      await pair.start();
    } catch (err) {
      slot.pair = undefined;
      await pair.stop().catch(() => undefined);
      this.host.events.post("pairStartFailed", { server: config.effectiveName, detail: errorMessage(err) }, { pair: config.effectiveName });
      return;
    }
    const startEndpoint = this.options.factory.startEndpoint;
    if (!startEndpoint) return;
    // Not awaited: an endpoint waits for a first mirror of its upstream (seconds while the servers are
    // down), which must not hold up the other pairs, enable/disable or a reload. Its own trust list
    // (of clients), beside the upstream one (of servers). The pair keeps running (its status stays
    // visible) while its clients have no endpoint, and the endpoint is tried again until it starts.
    const server = config.effectiveName;
    const endpointOptions = { port: config.port, listen: config.listen, offerSecurityNone: offersSecurityNone(config), applicationName: server, pkiDir: join(paths.pki, "endpoint") };
    slot.endpoint = new EndpointService(config.port, () => startEndpoint(pair, endpointOptions), {
      post: (kind, fields) => outsideAnyPair(() => this.host.events.post(kind, { server, ...fields }, { pair: server })),
      changed: () =>
        outsideAnyPair(() => {
          if (slot.pair === pair) this.changed(slot);
        }),
    });
  }

  /** A pair's hooks; events and changes of a pair that was since stopped or replaced still reach the log, but no longer its slot's snapshot. */
  private hooksFor(slot: PairSlot, config: ServerPairConfig): PairHooks {
    const server = config.effectiveName;
    // The host's work a pair's callback starts (listeners, mails) is not the pair's: its faults are not the pair's either.
    return {
      postEvent: (event: EventPost<EventFields>) =>
        outsideAnyPair(() => {
          const process = typeof event.fields.process === "string" ? event.fields.process : undefined;
          if (event.side) {
            const { side } = event;
            this.host.events.post(event.kind, { server, side, machine: config[side].host, ...event.fields }, { pair: server, side, process });
          } else {
            this.host.events.post(event.kind, { server, ...event.fields }, { pair: server, process });
          }
        }),
      onChanged: () =>
        outsideAnyPair(() => {
          if (slot.pair) this.changed(slot);
        }),
    };
  }
}

/** The command line that trusts a side's refused certificate, for the refusal's event (the state folder named when it is not the default). */
function trustCommand(configFile: string, stateDir: string, pair: string, side: Side, thumbprint: string): string {
  const words = ["redundancymaster", "trust", configFile, pair, side, "--thumbprint", thumbprint];
  if (resolve(stateDir) !== resolve(defaultStateDir())) words.push("--state-dir", stateDir);
  return words.map(commandWord).join(" ");
}
