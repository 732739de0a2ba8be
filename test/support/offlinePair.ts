import { EventEmitter } from "node:events";
import type { ServerPairConfig } from "../../engine/src/config/model";
import type { PairSnapshot } from "../../engine/src/control/protocol";
import { disabledSnapshot } from "../../engine/src/host/disabledSnapshot";
import { SessionTables } from "../../engine/src/namespaces/namespaceIdentity";
import type { PairHooks, PairRuntime } from "../../engine/src/pair/pairRuntime";
import { NamespaceStore } from "../../engine/src/state/namespaceStore";

/**
 * A pair with no upstream at all, for tests of the engine host without a network: it says it is
 * paired and available on its primary, forwards nothing and opens no session. A test's subclass
 * records its life (start, stop) and does what the test needs of it.
 */
export abstract class OfflinePair extends EventEmitter implements PairRuntime {
  readonly namespaceStore = new NamespaceStore();
  readonly sessionTables = new SessionTables();
  readonly data = { add: () => ({ remove() {} }) };
  readonly events = { add: () => ({ remove() {}, refresh: () => Promise.reject(new Error("no upstream here")) }) };

  constructor(
    readonly config: ServerPairConfig,
    protected readonly hooks: PairHooks,
  ) {
    super();
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  async forceFailover(): Promise<void> {}

  snapshot(): PairSnapshot {
    return { ...disabledSnapshot(this.config), enabled: true, status: "Paired and Available", active: "primary" };
  }

  activeSession() {
    return undefined;
  }

  async activeSessionAs() {
    return undefined;
  }
}
