import { stat } from "node:fs/promises";
import type { PairSnapshot } from "../control/protocol";
import type { EnabledStore } from "../state/enabledStore";
import { actor } from "./actor";
import type { EventFields } from "./engineEvents";
import type { HostContext } from "./hostContext";
import type { PairLifecycle, PairSlot } from "./pairLifecycle";

/**
 * Which pairs run on this machine: the enabled-pairs file in the state folder (each machine of a
 * shared config enables its own), changed through the control channel or on the command line.
 */
export class PairEnablement {
  constructor(
    private readonly host: HostContext,
    private readonly store: EnabledStore,
    private readonly pairs: PairLifecycle,
  ) {}

  /** The pairs enabled here; throws when the file is unusable. */
  enabledPairs(): Promise<Set<string>> {
    return this.store.enabledPairs(this.host.configFile);
  }

  /** The pairs enabled here as the running slots say, for when the file cannot be read. */
  enabledNow(): Set<string> {
    return new Set(
      this.pairs
        .all()
        .filter((s) => s.enabled)
        .map((s) => s.config.effectiveName),
    );
  }

  /** Records one pair's state in the state folder, then starts or stops that pair only. `by` is who asked (audit). */
  set(name: string, enabled: boolean, by?: string): Promise<PairSnapshot> {
    return this.host.serially(async () => {
      const slot = this.pairs.named(name);
      await this.store.set(this.host.configFile, [name], enabled);
      await this.apply(slot, enabled, by);
      return this.pairs.snapshot(slot);
    });
  }

  /** The enabled-pairs file changed outside the control channel: `enable`/`disable` on the command line, by the file's owner (an atomic write makes the writer its owner). */
  applyFile(): Promise<void> {
    return this.host.serially(async () => {
      if (this.host.stopping()) return;
      const file = this.host.paths.enabled;
      const by = await stat(file).then(
        (s) => actor("command line", s.uid),
        () => actor("command line"),
      );
      const enabled = await this.enabledPairs().catch((err: Error) => {
        this.host.log(`enabled-pairs file not applied: ${err.message}`);
        return undefined;
      });
      if (!enabled) return;
      for (const slot of this.pairs.all()) await this.apply(slot, enabled.has(slot.config.effectiveName), by);
    });
  }

  private async apply(slot: PairSlot, enabled: boolean, by?: string): Promise<void> {
    if (slot.enabled === enabled) return;
    slot.enabled = enabled;
    const server = slot.config.effectiveName;
    const who: EventFields = by ? { by } : {};
    if (enabled) {
      this.host.events.post("pairEnabled", { server, ...who }, { pair: server });
      await this.pairs.start(slot);
    } else {
      await this.pairs.stop(slot);
      this.host.events.post("pairDisabled", { server, ...who }, { pair: server });
    }
    this.pairs.changed(slot);
  }
}
