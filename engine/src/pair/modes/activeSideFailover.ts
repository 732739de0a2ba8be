import type { Side } from "../../events/catalog";
import { Forwarding } from "./forwarding";

/** Cold and warm: the items subscribed on the active side only, and created on the other at the switch. */
export class ActiveSideFailover extends Forwarding {
  protected wantsFeed(side: Side): boolean {
    return side === this.active;
  }
}
