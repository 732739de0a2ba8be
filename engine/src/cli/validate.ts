import { readConfigFile } from "../config/loadConfig";
import { analyzeConfig, type ConfigDiagnostic } from "../config/validate";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, parseOptions, UsageError, type Verb } from "./verb";

export interface FileDiagnostic {
  file: string;
  code: string;
  severity: string;
  message: string;
  range: ConfigDiagnostic["range"];
}

/** Reads and checks one file; the live check (RM061) is added by `liveCheck` when --live is given. */
export type LiveCheck = (file: string, text: string, diagnostics: ConfigDiagnostic[]) => Promise<ConfigDiagnostic[]>;

export function validateVerb(liveCheck?: LiveCheck): Verb {
  return {
    name: "validate",
    summary: "check redundancymaster.xml files against the format and its rules",
    usage: [
      "usage: redundancymaster validate FILE… [--format text|json]" + (liveCheck ? " [--live]" : ""),
      "",
      "Checks each FILE offline with the same rules as the editor.",
      "  --format text   compiler-style lines: file:line:col severity RM0xx message (default)",
      "  --format json   one JSON array of {file, code, severity, message, range}",
      ...(liveCheck ? ["  --live          also check item ids against the reachable servers (RM061)"] : []),
      "",
      "Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure.",
    ].join("\n"),
    async run(args, io) {
      const { options, positional } = parseOptions(args, ["format"], ["live"]);
      const format = options.format ?? "text";
      if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json (got '${format}')`);
      if (options.live && !liveCheck) throw new UsageError("--live is not available in this build");
      if (positional.length === 0) throw new UsageError("validate needs at least one FILE");
      // stdout carries the findings (JSON with --format json); node-opcua's notices go to stderr.
      if (options.live) (await import("../host/libraryLogs.js")).sendLibraryLogsToStderr();
      const all: FileDiagnostic[] = [];
      let ioFailed = false;
      for (const file of positional) {
        let text: string;
        try {
          text = await readConfigFile(file);
        } catch (err) {
          io.err(`redundancymaster: cannot read ${file}: ${(err as Error).message}`);
          ioFailed = true;
          continue;
        }
        let diagnostics = analyzeConfig(text).diagnostics;
        if (options.live && liveCheck) diagnostics = diagnostics.concat(await liveCheck(file, text, diagnostics));
        all.push(...diagnostics.map((d) => ({ file, code: d.code, severity: d.severity, message: d.message, range: d.range })));
      }
      if (format === "json") io.out(JSON.stringify(all, null, 2));
      else for (const d of all) io.out(`${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`);
      if (ioFailed) return EXIT_USAGE;
      return all.some((d) => d.severity === "error") ? EXIT_FINDINGS : EXIT_OK;
    },
  };
}
