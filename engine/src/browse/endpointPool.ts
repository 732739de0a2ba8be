import type { TrustPolicy } from "../config/model";
import type { ServerTrust } from "../upstream/serverTrust";
import { EDITOR_TIMEOUTS, EndpointSession, defaultPkiFolder, type SessionTimeouts } from "./endpointSession";
import { EndpointNamespace } from "./namespaceCache";

/**
 * One session and one browsed namespace per endpoint URL, shared by completion, hover and the live
 * check. Each session is opened only with a server the trust list (the engine's) does not refuse
 * under the pair's trust policy; the editor reads it and never records a pin or a refusal.
 */
export class EndpointPool {
  private readonly sessions = new Map<string, EndpointSession>();
  private readonly namespaces = new Map<string, EndpointNamespace>();

  constructor(
    private readonly pkiFolder = defaultPkiFolder(),
    private readonly timeouts: SessionTimeouts = EDITOR_TIMEOUTS,
    private readonly trust?: ServerTrust,
  ) {}

  /** The session to `url`; `policy` is the trust policy of the pair that names it (the latest asked wins). */
  session(url: string, policy: TrustPolicy): EndpointSession {
    let session = this.sessions.get(url);
    if (!session) {
      session = new EndpointSession(url, this.pkiFolder, this.timeouts, this.trust && { store: this.trust, policy });
      this.sessions.set(url, session);
    }
    session.trustPolicy = policy;
    return session;
  }

  namespace(url: string, policy: TrustPolicy): EndpointNamespace {
    let namespace = this.namespaces.get(url);
    if (!namespace) {
      namespace = new EndpointNamespace(this.session(url, policy));
      this.namespaces.set(url, namespace);
    }
    return namespace;
  }

  /** Drops the browsed namespaces (all, or one endpoint's) so the next completion browses afresh. */
  refresh(url?: string): void {
    for (const [key, namespace] of this.namespaces) if (!url || key === url) namespace.refresh();
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
    this.sessions.clear();
    this.namespaces.clear();
  }
}
