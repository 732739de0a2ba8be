import type { Side } from "../../events/catalog";
import type { SessionTables } from "../../namespaces/namespaceIdentity";
import type { ModeHooks, ModePolicy } from "./failoverMode";
import { Forwarding } from "./forwarding";

/** Cold: one connection at a time (the state machine ping-pongs between the sides); the items are subscribed anew on the side promoted. */
export const COLD: ModePolicy = { mode: "cold", bothSidesConnected: false };

export class ColdFailover extends Forwarding {
  constructor(hooks: ModeHooks, tables: SessionTables) {
    super(COLD, hooks, tables);
  }

  protected wantsFeed(side: Side): boolean {
    return side === this.active;
  }
}
