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

/** Splits `--name value` / `--name=value` options from positional arguments. */
export function parseOptions(args: string[], valued: readonly string[], flags: readonly string[] = []) {
  const options: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (flags.includes(name) && inline === undefined) options[name] = true;
    else if (valued.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      options[name] = value;
    } else throw new UsageError(`unknown option --${name}`);
  }
  return { options, positional };
}
