import type { OPCUAClient } from "node-opcua";
import { endpointSession } from "../bench/support/benchEngine";
import { subscribeLoad } from "../bench/support/loadSubscription";

/**
 * A client of that server (a sim, or a pair's endpoint once it serves the sims' namespace) that
 * records each value of the sims' 10 Hz Counter it gets, with when (ms epoch). Its client joins
 * `clients`, for the caller to disconnect.
 */
export async function watchCounter(url: string, clients: OPCUAClient[]): Promise<Map<number, number>> {
  const values = new Map<number, number>();
  const { session, ns } = await endpointSession(url, clients);
  await subscribeLoad(session, ns, 0, { counter: (s) => values.set(s.value, s.at) });
  return values;
}

/**
 * The Counter values both sims' own clients got between `from` and `to`: what a client of the
 * pair had to get whichever side served it (a loaded machine can stall a sim past a tick, and
 * each then skips other ticks).
 */
export function producedByBoth(sims: Map<number, number>[], from: number, to: number): number[] {
  const [a, b] = sims;
  return [...a].filter(([value, at]) => at >= from && at <= to && b.has(value)).map(([value]) => value);
}
