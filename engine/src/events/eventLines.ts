import type { RuntimeEvent } from "../control/protocol";

/**
 * The two plain-text renderings of an event. Local date and time, milliseconds included.
 *
 * Saved log ("Save As", `events/saveAs`), one event per line, seven TAB-separated fields, a stable
 * format that the extension's saved-log grammar highlights:
 *
 *     DATE<TAB>TIME<TAB>PROCESS<TAB>PAIR<TAB>SIDE<TAB>SEVERITY<TAB>TEXT
 *     2026-11-22	03:40:12.345	redundancymaster[4711]	Line4	primary	information	Connected to …
 *
 * DATE is YYYY-MM-DD, TIME is HH:MM:SS.mmm, PAIR and SIDE are "-" for engine-wide events,
 * SEVERITY is error | warning | information, TEXT runs to the end of the line (line breaks in it
 * become spaces).
 */
export function savedLogLine(event: RuntimeEvent): string {
  const { date, time } = localParts(event.time);
  return [date, time, event.process, event.pair ?? "-", event.side ?? "-", event.severity, oneLine(event.text)].join("\t");
}

/** `run`'s console line: `DATE TIME SEVERITY [PAIR/SIDE] TEXT` ([engine] for engine-wide events). */
export function consoleLine(event: RuntimeEvent): string {
  const { date, time } = localParts(event.time);
  const where = event.pair ? `${event.pair}${event.side ? `/${event.side}` : ""}` : "engine";
  return `${date} ${time} ${event.severity} [${where}] ${oneLine(event.text)}`;
}

function localParts(iso: string): { date: string; time: string } {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, "0");
  return {
    date: `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`,
    time: `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`,
  };
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ");
}
