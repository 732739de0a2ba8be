import type { SmtpRole } from "../config/model";
import { describeEndpoint, SmtpAttemptError, type DeliveryReport, type OutgoingMail, type RecipientRefusal, type SmtpEndpoint } from "./smtpTransport";
import { errorMessage } from "../errorMessage";

export interface FailedAttempt {
  server: string;
  error: string;
  refused: RecipientRefusal[];
}

export type FallbackResult = { delivered: true; role: SmtpRole; server: string; report: DeliveryReport; failed: FailedAttempt[] } | { delivered: false; failed: FailedAttempt[] };

export type Deliver = (endpoint: SmtpEndpoint, mail: OutgoingMail) => Promise<DeliveryReport>;

/**
 * The first seed's choice of SMTP server: a mail goes to the primary first; when the primary
 * fails it goes to the secondary; once the secondary has worked it is tried first for every
 * later mail until it fails, and then the primary is tried again. Each server gets one attempt
 * per mail, so a mail costs at most two connections; when both fail the mail is lost, and the
 * next mail starts again at the primary.
 */
export class SmtpFallback {
  private preferred: SmtpRole = "primary";

  constructor(
    private readonly endpoints: { primary?: SmtpEndpoint; secondary?: SmtpEndpoint },
    private readonly deliver: Deliver,
  ) {}

  /** The server the next mail is tried on first. */
  get firstChoice(): SmtpRole {
    return this.preferred;
  }

  async send(mail: OutgoingMail): Promise<FallbackResult> {
    const failed: FailedAttempt[] = [];
    for (const role of this.order()) {
      const endpoint = this.endpoints[role];
      if (!endpoint) continue;
      try {
        const report = await this.deliver(endpoint, mail);
        this.preferred = role;
        return { delivered: true, role, server: describeEndpoint(endpoint), report, failed };
      } catch (err) {
        failed.push({
          server: describeEndpoint(endpoint),
          error: errorMessage(err),
          refused: err instanceof SmtpAttemptError ? err.refused : [],
        });
      }
    }
    this.preferred = "primary";
    return { delivered: false, failed };
  }

  private order(): SmtpRole[] {
    return this.preferred === "secondary" ? ["secondary", "primary"] : ["primary", "secondary"];
  }
}
