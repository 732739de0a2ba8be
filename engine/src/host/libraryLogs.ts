import { format, stripVTControlCharacters } from "node:util";
import { setErrorLogger, setWarningLogger } from "node-opcua";

/** Library lines let through in a window; beyond them a client storm would fill a service's journal. */
const LINES_PER_WINDOW = 20;
const WINDOW_MS = 10_000;

/**
 * node-opcua prints its warnings (certificate creation, RSA policy notes) and, with console.log,
 * some notes of its own (235 times "The maximum number of connection has been reached" under a
 * slowloris) on stdout, where `run` and `demo` print events, one a line, for people and scripts to
 * read. All of it goes to stderr instead, without colours, at most LINES_PER_WINDOW lines every
 * WINDOW_MS (then one line counting those left out). The engine's own lines never use console.
 * One is left out: W27, printed at every start on Node 20, which says that RSA PKCS#1 v1.5
 * decryption needs `--security-revert=CVE-2023-46809`. Only the deprecated Basic128Rsa15 policy
 * decrypts that way, and the engine and the sim offer and use none that does (README, Set-up).
 */
export function sendLibraryLogsToStderr(): void {
  const write = rateLimited((line) => process.stderr.write(`node-opcua: ${stripVTControlCharacters(line)}\n`));
  // The loggers get a `{filename, callerline}` context first; the message is what follows.
  const toStderr = (...args: unknown[]) => {
    if (isContext(args[0]) && /(^|[\\/])verify_pcks1(\.[cm]?js)?$/.test(args[0].filename)) return;
    write(format(...args.slice(isContext(args[0]) ? 1 : 0)));
  };
  setWarningLogger(toStderr);
  setErrorLogger(toStderr);
  const consoleToStderr = (...args: unknown[]) => write(format(...args));
  console.log = consoleToStderr;
  console.info = consoleToStderr;
  console.warn = consoleToStderr;
  console.debug = consoleToStderr;
}

/** `write`, at most LINES_PER_WINDOW times in WINDOW_MS; the first line of a new window says how many were left out. */
function rateLimited(write: (line: string) => void): (line: string) => void {
  let windowStart = 0;
  let written = 0;
  let leftOut = 0;
  return (line) => {
    const now = Date.now();
    if (now - windowStart >= WINDOW_MS) {
      if (leftOut > 0) write(`${leftOut} more lines of library output left out`);
      windowStart = now;
      written = 0;
      leftOut = 0;
    }
    if (written < LINES_PER_WINDOW) {
      written += 1;
      write(line);
    } else {
      leftOut += 1;
    }
  };
}

function isContext(value: unknown): value is { filename: string } {
  return typeof value === "object" && value !== null && "filename" in value && typeof value.filename === "string";
}
