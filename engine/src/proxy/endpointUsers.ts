import { createHash, randomBytes } from "node:crypto";
import type { UserManagerOptions } from "node-opcua";
import type { PairRuntime } from "../pair/pairRuntime";

/** How long a login the active server accepted still counts while no server can be asked (a failover under way). */
const REMEMBERED_MS = 10 * 60_000;

/**
 * The endpoint's user logins, decided by the upstream servers: a client that logged in to the
 * server with a user name and password logs in to the endpoint the same way, and the endpoint
 * asks the active server whether it accepts that user. Passwords are never kept: only a salted
 * hash of an accepted login, so that a client reconnecting while no side is active is not
 * locked out by the outage it is riding through.
 */
export class EndpointUsers {
  private readonly salt = randomBytes(16);
  private readonly accepted = new Map<string, number>();

  constructor(private readonly pair: PairRuntime) {}

  userManager(): UserManagerOptions {
    return {
      isValidUserAsync: (user: string, password: string, callback: (err: Error | null, ok?: boolean) => void) => {
        this.check(user, password).then((ok) => callback(null, ok), () => callback(null, false));
      },
    };
  }

  async check(user: string, password: string): Promise<boolean> {
    const key = createHash("sha256").update(this.salt).update(user).update("\0").update(password).digest("hex");
    const verdict = await this.pair.checkUserIdentity(user, password);
    if (verdict === undefined) return (this.accepted.get(key) ?? 0) > Date.now();
    if (verdict) this.accepted.set(key, Date.now() + REMEMBERED_MS);
    else this.accepted.delete(key);
    return verdict;
  }
}
