import type { NotificationsConfig, SmtpConfig } from "../../engine/src/config/model";
import type { RuntimeEvent } from "../../engine/src/control/protocol";
import { eventId, eventKindOf, formatEventText, type Side } from "../../engine/src/events/catalog";

/** Plain SMTP on loopback, as the test servers of smtpTestServer.ts listen. */
export function loopbackSmtp(port: number, extra: Partial<SmtpConfig> = {}): SmtpConfig {
  return { host: "127.0.0.1", port, secure: "none", ...extra };
}

export function notifications(overrides: Partial<NotificationsConfig> = {}): NotificationsConfig {
  return {
    enabled: true,
    from: "engine@plant4.example",
    subject: "RedundancyMaster e-mail notification.",
    to: ["bob@home.example", "john@xyz.example"],
    header: "Plant 4 redundancy",
    footer: "Sent by the redundancy engine",
    events: ["promoted.secondary", "statusLost.primary"],
    ...overrides,
  };
}

let seq = 0;

/** A runtime event as the engine posts it, text from the catalog. */
export function runtimeEvent(kind: string, side: Side | undefined, time = "2026-11-22T03:23:28.000Z"): RuntimeEvent {
  const id = eventId(kind, side);
  return {
    seq: ++seq,
    time,
    id,
    severity: eventKindOf(id)!.severity,
    text: formatEventText(kind, { server: "KEPware.KEPServerEx.V6.Alias1", side, machine: side === "secondary" ? "192.168.111.67" : "localhost" }),
    process: "redundancymaster",
    pair: "KEPware.KEPServerEx.V6.Alias1",
    side,
  };
}
