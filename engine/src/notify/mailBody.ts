import type { NotificationsConfig } from "../config/model";
import type { RuntimeEvent } from "../control/protocol";

/** The events of one mail: listed in order; when `omitted` > 0, that many came between the last two listed. */
export interface MailBatch {
  events: RuntimeEvent[];
  omitted: number;
}

export interface MailContent {
  subject: string;
  text: string;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** Local date and time with the UTC offset, so a reader anywhere can place the event. */
export function formatLocalTime(time: Date): { date: string; time: string } {
  const offset = -time.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const zone = `UTC${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return {
    date: `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}`,
    time: `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())} (${zone})`,
  };
}

function eventBlock(event: RuntimeEvent): string[] {
  const when = new Date(event.time);
  const { date, time } = Number.isNaN(when.getTime()) ? { date: event.time, time: "" } : formatLocalTime(when);
  return [
    `Date:    ${date}`,
    `Time:    ${time}`,
    `Process: ${event.process}`,
    ...(event.pair ? [`Pair:    ${event.pair}`] : []),
    ...(event.side ? [`Side:    ${event.side}`] : []),
    `Event:   ${event.id} (${event.severity})`,
    event.text,
  ];
}

function omissionNote(omitted: number): string {
  return `… ${omitted} more event${omitted === 1 ? "" : "s"} in this period, not listed here (see the event log) …`;
}

function frame(config: NotificationsConfig, body: string[]): string {
  const header = config.header?.trim();
  const footer = config.footer?.trim();
  return [...(header ? [header, ""] : []), ...body, ...(footer ? ["", "--", footer] : [])].join("\n") + "\n";
}

/** A notification: header, each event's date, time, process, pair, side and text, footer. */
export function eventMail(config: NotificationsConfig, batch: MailBatch): MailContent {
  const { events, omitted } = batch;
  const blocks = events.map(eventBlock);
  if (omitted > 0) blocks.splice(blocks.length - 1, 0, [omissionNote(omitted)]);
  const total = events.length + omitted;
  const intro = total > 1 ? [`${total} events:`, ""] : [];
  return { subject: config.subject, text: frame(config, [...intro, ...blocks.flatMap((b, i) => (i === 0 ? b : ["", ...b]))]) };
}

export function testMail(config: NotificationsConfig, sentAt: Date, host: string): MailContent {
  const { date, time } = formatLocalTime(sentAt);
  return {
    subject: `${config.subject} (test message)`,
    text: frame(config, ["This is a test message from RedundancyMaster: e-mail notifications reach this address.", "", `Date:    ${date}`, `Time:    ${time}`, `Host:    ${host}`]),
  };
}
