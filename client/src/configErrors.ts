/** One error line of the engine's refusal, as `validate` prints it: `FILE:LINE:COL error RM0xx message`. */
export interface ConfigErrorLine {
  /** 1-based, as printed. */
  line: number;
  column: number;
  code: string;
  message: string;
}

/** The engine did not start because its configuration has errors (it exited 1 with validate's lines). */
export class ConfigHasErrors extends Error {
  constructor(
    readonly configFile: string,
    readonly errors: ConfigErrorLine[],
  ) {
    const shown = errors
      .slice(0, 2)
      .map((e) => `line ${e.line}: ${e.code} ${e.message}`)
      .join("; ");
    super(`${errors.length} error${errors.length === 1 ? "" : "s"} (${shown}${errors.length > 2 ? "; …" : ""})`);
  }
}

/** The error lines about `configFile` in the engine's stderr. */
export function configErrorLines(stderr: string, configFile: string): ConfigErrorLine[] {
  const lines: ConfigErrorLine[] = [];
  for (const text of stderr.split("\n")) {
    if (!text.startsWith(`${configFile}:`)) continue;
    const m = /^:(\d+):(\d+) error (RM\d{3}) (.*)$/.exec(text.slice(configFile.length));
    if (m) lines.push({ line: Number(m[1]), column: Number(m[2]), code: m[3], message: m[4] });
  }
  return lines;
}
