import { parseArgs } from "node:util";

/**
 * One `redundancymaster` verb. `run` returns the process exit code. A verb module imports
 * node-opcua (and anything else heavy) inside `run`, with `await import(…)`, so that
 * `validate` and `--help` start fast and print nothing from libraries they don't use.
 */
export interface Verb {
  name: string;
  summary: string;
  /** Full help text, printed by `redundancymaster VERB --help`. */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

/** Exit codes shared by every verb (DESIGN.md: 0 fine, 1 findings, 2 usage or I/O). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

/**
 * Splits a verb's arguments with `util.parseArgs`: `--name value` and `--name=value` for the
 * `valued` options, `--name` for the `flags`, `--` ends the options. parseArgs runs non-strict so
 * that an unknown option or a missing value is reported here, in the CLI's words, naming the
 * option as it was typed.
 */
export function parseOptions(args: string[], valued: readonly string[], flags: readonly string[] = []) {
  const { tokens } = parseArgs({
    args,
    options: Object.fromEntries([...valued.map((name) => [name, { type: "string" as const }]), ...flags.map((name) => [name, { type: "boolean" as const }])]),
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const options: Record<string, string | true> = {};
  const positional: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") positional.push(token.value);
    if (token.kind !== "option") continue;
    if (flags.includes(token.name) && token.value === undefined) options[token.name] = true;
    else if (valued.includes(token.name)) {
      if (token.value === undefined) throw new UsageError(`${token.rawName} needs a value`);
      options[token.name] = token.value;
    } else throw new UsageError(`unknown option ${token.rawName}`);
  }
  return { options, positional };
}
