import { demoVerb } from "./demo";
import { enableVerb } from "./enable";
import { initVerb } from "./init";
import { runVerb } from "./run";
import { serviceVerb } from "./service";
import { simVerb } from "./sim";
import { testEmailVerb } from "./testEmail";
import { trustVerb } from "./trust";
import { liveCheckForCli } from "../browse/liveItemCheck";
import { validateVerb } from "./validate";
import { EXIT_USAGE, processIo, UsageError, type CliIo, type Verb } from "./verb";
import { errorMessage } from "../errorMessage";

/** Every verb of the `redundancymaster` command, in the order `--help` lists them. */
export const VERBS: readonly Verb[] = [validateVerb(liveCheckForCli), initVerb, runVerb, demoVerb, enableVerb(true), enableVerb(false), serviceVerb, simVerb, testEmailVerb(), trustVerb];

function help(): string {
  const width = Math.max(...VERBS.map((v) => v.name.length));
  return ["usage: redundancymaster VERB [ARGS…]   (redundancymaster VERB --help for one verb)", "", ...VERBS.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`)].join("\n");
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.out(help());
    return name ? 0 : EXIT_USAGE;
  }
  const verb = VERBS.find((v) => v.name === name);
  if (!verb) {
    io.err(`redundancymaster: unknown verb '${name}'\n\n${help()}`);
    return EXIT_USAGE;
  }
  if (args.includes("--help") || args.includes("-h")) {
    io.out(verb.usage);
    return 0;
  }
  try {
    return await verb.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`redundancymaster ${verb.name}: ${err.message}\n\n${verb.usage}`);
      return EXIT_USAGE;
    }
    io.err(`redundancymaster ${verb.name}: ${errorMessage(err)}`);
    return EXIT_USAGE;
  }
}

/** Entry of `bin/redundancymaster.js` and of `node dist/engine.js VERB …`. */
export function runCli(): void {
  // A reader that stops early (`validate … | head`) closes the pipe: end quietly, with the status a
  // shell gives a process killed by SIGPIPE (128 + 13), not with a stack trace.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    process.exit(141);
  });
  // What the engine writes (state folder, trust lists, keys) is its user's alone, whatever the
  // shell's umask: the engine refuses a state folder others may change (state/privateState.ts).
  process.umask(0o077);
  main(process.argv.slice(2))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err) => {
        processIo.err(String(err?.stack ?? err));
        process.exitCode = EXIT_USAGE;
      },
    )
    .finally(() => {
      // The verb is done. node-opcua may still hold a socket or a retry timer of a server that did
      // not answer (init against a hung host lingered ~8 s, minutes on a loaded machine): the
      // command ends within a second anyway (stdout and stderr are written synchronously on Linux).
      setTimeout(() => process.exit(), 1000).unref();
    });
}

if (require.main === module) runCli();
