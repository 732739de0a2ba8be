import type { MonitoredItem } from "node-opcua";

/** The members of node-opcua 2.186's server Subscription its publishing cycle is made of. */
interface SubscriptionInternals {
  publishingInterval: number;
  /** Its publishing timer (setInterval of _tick); null once stopped. */
  timerId: NodeJS.Timeout | null;
  _tick(): void;
  /** Called for each notification a cycle takes from the items' queues into a message. */
  _addNotificationMessage(...args: unknown[]): void;
}

interface PublishingCycle {
  /** When the subscription last took notifications from its items. */
  tookAt: number;
  /** A cycle started early, due at tookAt + the publishing interval. */
  early?: NodeJS.Timeout;
}

const cycles = new WeakMap<SubscriptionInternals, PublishingCycle>();

/**
 * Forward on arrival. node-opcua's subscription takes what its items queued on a timer of the
 * publishing interval, so a pushed value waited for the timer's next tick: up to one interval on
 * top of the upstream server's own publishing, which the value had already waited for. A push
 * starts a publishing cycle at once when the subscription last took notifications a publishing
 * interval ago or more (else as soon as that interval is over), and the timer restarts from that
 * cycle: the client still gets at most one message a publishing interval, as it asked.
 */
export function publishWhenDue(item: MonitoredItem): void {
  const subscription = (item as unknown as { $subscription?: SubscriptionInternals }).$subscription;
  if (!subscription?.timerId) return;
  const cycle = cycles.get(subscription) ?? followCycles(subscription);
  if (cycle.early) return;
  const wait = Math.max(0, cycle.tookAt + subscription.publishingInterval - Date.now());
  cycle.early = setTimeout(() => {
    cycle.early = undefined;
    // Stopped meanwhile, or the timer's own tick took the values first.
    if (!subscription.timerId || Date.now() - cycle.tookAt < subscription.publishingInterval) return;
    clearInterval(subscription.timerId);
    subscription.timerId = setInterval(() => subscription._tick(), subscription.publishingInterval);
    subscription._tick();
  }, wait);
}

function followCycles(subscription: SubscriptionInternals): PublishingCycle {
  const cycle: PublishingCycle = { tookAt: 0 };
  cycles.set(subscription, cycle);
  const add = subscription._addNotificationMessage.bind(subscription);
  subscription._addNotificationMessage = (...args: unknown[]) => {
    cycle.tookAt = Date.now();
    add(...args);
  };
  return cycle;
}
