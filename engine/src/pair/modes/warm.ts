import type { Side } from "../../events/catalog";
import type { SessionTables } from "../../namespaces/namespaceIdentity";
import type { ModeHooks, ModePolicy } from "./failoverMode";
import { Forwarding } from "./forwarding";

/** Warm: sessions to both sides, the items subscribed on the active side only and created on the other at the switch. */
export const WARM: ModePolicy = { mode: "warm", bothSidesConnected: true };

export class WarmFailover extends Forwarding {
  constructor(hooks: ModeHooks, tables: SessionTables) {
    super(WARM, hooks, tables);
  }

  protected wantsFeed(side: Side): boolean {
    return side === this.active;
  }
}
