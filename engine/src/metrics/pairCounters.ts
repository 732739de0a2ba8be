import type { Side } from "../events/catalog";

/**
 * The counters one pair keeps for operations (metrics/): plain numbers, so that the forwarding
 * path only increments. A failover is any switch of the active side from one server to the other
 * (a failure, a failback, an operator's); its duration runs from the moment the old side was given
 * up to the first value the new side forwarded, the time the clients went without values because
 * of the switch (detection before it is not counted).
 */
export class PairCounters {
  valuesForwarded = 0;
  failovers = 0;
  /** The last switch's duration (ms); undefined before the first switch. */
  lastSwitchMs: number | undefined;
  private active: Side | null = null;
  /** The side that was active last (null only before the first activation). */
  private lastActive: Side | null = null;
  private gaveUpAt = 0;
  /** A switch is under way until the new side's first value (or at once for a pair that forwards nothing). */
  private switchingSince: number | undefined;

  /** The pair made `side` active (null: none); call it before the new side's first values are forwarded. */
  activated(side: Side | null, forwardsItems: boolean, now = performance.now()): void {
    if (this.active !== null && side !== this.active) this.gaveUpAt = now;
    this.active = side;
    if (side === null) return;
    if (this.lastActive !== null && side !== this.lastActive) {
      this.failovers++;
      this.switchingSince = this.gaveUpAt;
      if (!forwardsItems) this.switched(now);
    }
    this.lastActive = side;
  }

  /** A value handed to the endpoint. */
  forwarded(): void {
    this.valuesForwarded++;
    if (this.switchingSince !== undefined) this.switched(performance.now());
  }

  private switched(now: number): void {
    this.lastSwitchMs = Math.max(0, now - this.switchingSince!);
    this.switchingSince = undefined;
  }
}
