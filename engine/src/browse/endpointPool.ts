import { EDITOR_TIMEOUTS, EndpointSession, defaultPkiFolder, type SessionTimeouts } from "./endpointSession";
import { EndpointNamespace } from "./namespaceCache";

/** One session and one browsed namespace per endpoint URL, shared by completion, hover and the live check. */
export class EndpointPool {
  private readonly sessions = new Map<string, EndpointSession>();
  private readonly namespaces = new Map<string, EndpointNamespace>();

  constructor(
    private readonly pkiFolder = defaultPkiFolder(),
    private readonly timeouts: SessionTimeouts = EDITOR_TIMEOUTS,
  ) {}

  session(url: string): EndpointSession {
    let session = this.sessions.get(url);
    if (!session) {
      session = new EndpointSession(url, this.pkiFolder, this.timeouts);
      this.sessions.set(url, session);
    }
    return session;
  }

  namespace(url: string): EndpointNamespace {
    let namespace = this.namespaces.get(url);
    if (!namespace) {
      namespace = new EndpointNamespace(this.session(url));
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
