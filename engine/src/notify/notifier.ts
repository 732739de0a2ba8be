import { hostname } from "node:os";
import type { NotificationsConfig, SmtpRole } from "../config/model";
import type { EmailRecipientResult, EngineSecrets, RuntimeEvent } from "../control/protocol";
import { eventMail, testMail, type MailBatch, type MailContent } from "./mailBody";
import { DEFAULT_DIGEST_RULE, NotificationQueue, type DigestRule } from "./notificationQueue";
import { SmtpFallback, type FallbackResult } from "./smtpFallback";
import { redactSecrets, smtpPassword } from "./smtpPasswords";
import { DEFAULT_SMTP_TIMEOUTS, deliver, type SmtpEndpoint, type SmtpTimeouts } from "./smtpTransport";
import { errorMessage } from "../errorMessage";

/** The event posted when both SMTP servers failed for one mail; it is never mailed itself. */
export const EMAIL_FAILED = "emailFailed";

export interface NotifierOptions {
  postEvent(kind: typeof EMAIL_FAILED, fields: { detail: string }): void;
  secrets?: EngineSecrets;
  now?: () => number;
  /** Operational lines (which server took a mail, fallbacks); never contains a password. */
  log?: (line: string) => void;
  digest?: Partial<DigestRule>;
  timeouts?: Partial<SmtpTimeouts>;
  /** PEM of a CA trusted besides the system's; for tests' self-signed certificates. */
  extraCa?: string;
  /** How long close() waits for pending mails. */
  closeTimeoutMs?: number;
}

const DEFAULT_CLOSE_TIMEOUT_MS = 15_000;

/**
 * E-mail notifications of the selected runtime events: queued and digested (notificationQueue.ts),
 * sent through the primary or the secondary SMTP server (smtpFallback.ts). Never blocks its caller
 * and never throws at it: a mail both servers refused becomes an `emailFailed` event.
 */
export class Notifier {
  private config: NotificationsConfig;
  private secrets: EngineSecrets | undefined;
  private fallback: SmtpFallback;
  private readonly queue: NotificationQueue;
  private readonly now: () => number;
  private readonly timeouts: SmtpTimeouts;

  constructor(
    config: NotificationsConfig,
    private readonly opts: NotifierOptions,
  ) {
    this.config = config;
    this.secrets = opts.secrets;
    this.now = opts.now ?? Date.now;
    this.timeouts = { ...DEFAULT_SMTP_TIMEOUTS, ...opts.timeouts };
    this.fallback = this.newFallback();
    this.queue = new NotificationQueue({ ...DEFAULT_DIGEST_RULE, ...opts.digest }, (batch) => this.sendBatch(batch), this.now);
  }

  /** Queues the event when notifications are enabled and it is selected; returns at once. */
  notify(event: RuntimeEvent): void {
    if (event.id === EMAIL_FAILED || !this.config.enabled || !this.config.events.includes(event.id)) return;
    if (!this.config.primary || !this.config.from || this.config.to.length === 0) return;
    this.queue.push(event);
  }

  /** Sends a test message to every recipient (whether or not notifications are enabled) and reports each one. */
  async sendTest(): Promise<EmailRecipientResult[]> {
    const { to, from, primary } = this.config;
    const missing = !from ? "no sender (from) is configured" : !primary ? "no primary SMTP server is configured" : undefined;
    if (missing) return to.map((recipient) => ({ recipient, accepted: false, detail: missing }));
    const result = await this.send(testMail(this.config, new Date(this.now()), hostname()));
    return to.map((recipient) => this.recipientResult(recipient, result));
  }

  /** Applies a reloaded config; the next mail starts at the primary again when the SMTP servers changed. */
  updateConfig(config: NotificationsConfig): void {
    const smtpChanged = JSON.stringify([config.primary, config.secondary]) !== JSON.stringify([this.config.primary, this.config.secondary]);
    this.config = config;
    if (smtpChanged) this.fallback = this.newFallback();
    if (!config.enabled) this.queue.clear();
  }

  /** Passwords the extension read from its secret store after the engine started. */
  updateSecrets(secrets: EngineSecrets): void {
    this.secrets = secrets;
    this.fallback = this.newFallback();
  }

  /** Sends pending digests now and waits for them, at most closeTimeoutMs; later events are ignored. */
  async close(): Promise<void> {
    await this.queue.drain(this.opts.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
  }

  private newFallback(): SmtpFallback {
    const endpoint = (role: SmtpRole): SmtpEndpoint | undefined => {
      const config = this.config[role];
      return config && { role, config, password: smtpPassword(role, this.secrets) };
    };
    const settings = { timeouts: this.timeouts, extraCa: this.opts.extraCa };
    return new SmtpFallback({ primary: endpoint("primary"), secondary: endpoint("secondary") }, (e, mail) => deliver(e, mail, settings));
  }

  private async sendBatch(batch: MailBatch): Promise<void> {
    const count = batch.events.length + batch.omitted;
    const what = `${count} event${count === 1 ? "" : "s"}`;
    try {
      const result = await this.send(eventMail(this.config, batch));
      if (result.delivered) {
        const after = result.failed.length ? ` after ${this.failures(result)}` : "";
        this.log(`e-mail with ${what} sent through ${result.server}${after}`);
        return;
      }
      this.emailFailed(`${this.failures(result)}; ${what} discarded`);
    } catch (err) {
      this.emailFailed(`${errorMessage(err)}; ${what} discarded`);
    }
  }

  private send(content: MailContent): Promise<FallbackResult> {
    return this.fallback.send({ from: this.config.from!, to: this.config.to, ...content });
  }

  private recipientResult(recipient: string, result: FallbackResult): EmailRecipientResult {
    if (result.delivered) {
      const refusal = result.report.refused.find((r) => r.recipient === recipient);
      const detail = refusal ? `refused by ${result.server}: ${refusal.reason}` : `accepted by ${result.server}`;
      return { recipient, accepted: !refusal, detail: this.redact(detail) };
    }
    const reasons = result.failed.map((f) => `${f.server}: ${f.refused.find((r) => r.recipient === recipient)?.reason ?? f.error}`);
    return { recipient, accepted: false, detail: this.redact(reasons.join("; ") || "no SMTP server is configured") };
  }

  private failures(result: FallbackResult): string {
    return result.failed.map((f) => `${f.server} failed: ${f.error}`).join("; ");
  }

  private emailFailed(detail: string): void {
    const redacted = this.redact(detail);
    this.log(`e-mail failed: ${redacted}`);
    this.opts.postEvent(EMAIL_FAILED, { detail: redacted });
  }

  private log(line: string): void {
    this.opts.log?.(this.redact(line));
  }

  private redact(text: string): string {
    return redactSecrets(text, [smtpPassword("primary", this.secrets), smtpPassword("secondary", this.secrets)]);
  }
}
