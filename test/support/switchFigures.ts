/** One Counter value as a client received it. */
export interface CounterSample {
  value: number;
  /** The producing sim's source timestamp (ms): tells which sim produced it, as the two tick at different moments. */
  sourceTime: number;
  /** Arrival at the client (ms). */
  at: number;
}

export interface SwitchFigures {
  /**
   * Fault (or the standby's first tick after it, if later) → first value of the standby at the
   * client: how long the client went without data it could have had. The wait for the source's
   * next 100 ms tick belongs to the source, not to the switch, so it is left out.
   */
  gapMs: number;
  /** Fault → first value of the standby at the client, the tick's wait included. */
  rawGapMs: number;
  /** Counter values the standby produced after the last value the failing side delivered that the client never received. */
  lost: number;
}

/**
 * What a client saw across one switch. `standby` is the Counter as a direct client of the
 * standby sim saw it: the truth. A value at the client is the standby's when the standby
 * produced it with the same source timestamp (the two sims tick at different moments, so the
 * timestamp tells them apart although the values are equal). The failing side's last value may
 * reach the client after the fault (it was on its way): the values after it are what the standby
 * must make up for. A standby value older than it is no loss (the failing side never produced
 * that tick, its process having stalled across it): replayed, it would put the stream out of order.
 */
export function switchFigures(received: readonly CounterSample[], standby: readonly CounterSample[], faultAt: number): SwitchFigures | undefined {
  const fromStandby = new Set(standby.map((s) => `${s.value}@${s.sourceTime}`));
  const first = received.find((s) => s.at > faultAt && fromStandby.has(`${s.value}@${s.sourceTime}`));
  if (!first) return undefined;
  const firstTick = standby.find((s) => s.sourceTime > faultAt)?.sourceTime ?? first.sourceTime;
  const since = Math.max(faultAt, Math.min(first.sourceTime, firstTick));
  const fromFailing = received.filter((s) => !fromStandby.has(`${s.value}@${s.sourceTime}`));
  const lastBefore = fromFailing.length ? Math.max(...fromFailing.map((s) => s.value)) : first.value - 1;
  const got = new Set(received.map((s) => s.value));
  const end = Math.max(...received.map((s) => s.value));
  const lost = new Set(standby.filter((s) => s.value > lastBefore && s.value <= end && !got.has(s.value)).map((s) => s.value)).size;
  return { gapMs: first.at - since, rawGapMs: first.at - faultAt, lost };
}
