import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
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
 * accepted login is also remembered, as an scrypt hash with a salt of its own (a password
 * hash a memory dump cannot reverse cheaply), so that a client reconnecting while no side is
 * active is not locked out by the outage it is riding through.
 */
export class EndpointUsers {
  /** User name → the last password the active server accepted for it, hashed, and until when it counts. */
  private readonly accepted = new Map<string, RememberedLogin>();
  private readonly sessions = new WeakMap<object, UserCredentials>();

  constructor(private readonly pair: PairRuntime) {}

  userManager(): UserManagerOptions {
    const users = this;
    return {
      // node-opcua calls this with the ServerSession being activated as `this`.
      isValidUserAsync(this: object, user: string, password: string, callback: (err: Error | null, ok?: boolean) => void) {
        const session = this;
        users.check(user, password).then(
          (ok) => {
            if (ok) users.sessions.set(session, { user, password });
            else users.sessions.delete(session);
            callback(null, ok);
          },
          () => callback(null, false),
        );
      },
    };
  }

  /** The user a client session logged in as; undefined for an anonymous one. */
  credentialsOf(session: object | undefined): UserCredentials | undefined {
    return session ? this.sessions.get(session) : undefined;
  }

  async check(user: string, password: string): Promise<boolean> {
    const session = await this.pair.activeSessionAs(user, password);
    const verdict = session === undefined ? undefined : session !== "refused";
    if (verdict === undefined) return this.remembers(user, password);
    if (verdict) {
      const salt = randomBytes(16);
      this.accepted.set(user, { salt, hash: await hashOf(password, salt), until: Date.now() + REMEMBERED_MS });
    } else {
      this.accepted.delete(user);
    }
    return verdict;
  }

  private async remembers(user: string, password: string): Promise<boolean> {
    const login = this.accepted.get(user);
    if (!login || login.until <= Date.now()) return false;
    return timingSafeEqual(await hashOf(password, login.salt), login.hash);
  }
}

interface RememberedLogin {
  salt: Buffer;
  hash: Buffer;
  until: number;
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;

/** scrypt with node's defaults (N 16384, r 8, p 1: ~16 MB and tens of ms a hash), off the event loop. */
function hashOf(password: string, salt: Buffer): Promise<Buffer> {
  return scryptAsync(password, salt, 32);
}
