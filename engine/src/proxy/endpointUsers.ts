import { createHash, randomBytes } from "node:crypto";
import type { UserManagerOptions } from "node-opcua";
import type { PairRuntime } from "../pair/pairRuntime";

/** How long a login the active server accepted still counts while no server can be asked (a failover under way). */
const REMEMBERED_MS = 10 * 60_000;

export interface UserCredentials {
  user: string;
  password: string;
}

/**
 * The endpoint's user logins, decided by the upstream servers: a client that logged in to the
 * server with a user name and password logs in to the endpoint the same way, and the endpoint
 * asks the active server whether it accepts that user. What the user then changes (Write, Call)
 * is done upstream as that user, so the server's own permissions apply: the credentials of each
 * logged-in session are held in memory for that, for the session's life, and nowhere else. An
 * accepted login is also remembered as a salted hash, so that a client reconnecting while no
 * side is active is not locked out by the outage it is riding through.
 */
export class EndpointUsers {
  private readonly salt = randomBytes(16);
  private readonly accepted = new Map<string, number>();
  private readonly sessions = new WeakMap<object, UserCredentials>();

  constructor(private readonly pair: PairRuntime) {}

  userManager(): UserManagerOptions {
    const users = this;
    return {
      // node-opcua calls this with the ServerSession being activated as `this`.
      isValidUserAsync(this: object, user: string, password: string, callback: (err: Error | null, ok?: boolean) => void) {
        const session = this;
        users.check(user, password).then((ok) => {
          if (ok) users.sessions.set(session, { user, password });
          else users.sessions.delete(session);
          callback(null, ok);
        }, () => callback(null, false));
      },
    };
  }

  /** The user a client session logged in as; undefined for an anonymous one. */
  credentialsOf(session: object | undefined): UserCredentials | undefined {
    return session ? this.sessions.get(session) : undefined;
  }

  async check(user: string, password: string): Promise<boolean> {
    const key = createHash("sha256").update(this.salt).update(user).update("\0").update(password).digest("hex");
    const session = await this.pair.activeSessionAs(user, password);
    const verdict = session === undefined ? undefined : session !== "refused";
    if (verdict === undefined) return (this.accepted.get(key) ?? 0) > Date.now();
    if (verdict) this.accepted.set(key, Date.now() + REMEMBERED_MS);
    else this.accepted.delete(key);
    return verdict;
  }
}
