import { format } from "node:util";
import { setErrorLogger, setWarningLogger } from "node-opcua";

/**
 * node-opcua prints its warnings (certificate creation, RSA policy notes) on stdout, where `run`
 * and `demo` print events, one a line, for people and scripts to read. Those warnings go to stderr.
 * One is left out: W27, printed at every start on Node 20, which says that RSA PKCS#1 v1.5
 * decryption needs `--security-revert=CVE-2023-46809`. Only the deprecated Basic128Rsa15 policy
 * decrypts that way, and the engine and the sim offer and use none that does (README, Set-up).
 */
export function sendLibraryLogsToStderr(): void {
  // The loggers get a `{filename, callerline}` context first; the message is what follows.
  const toStderr = (...args: unknown[]) => {
    if (isContext(args[0]) && /(^|[\\/])verify_pcks1(\.[cm]?js)?$/.test(args[0].filename)) return;
    process.stderr.write(`node-opcua: ${format(...args.slice(isContext(args[0]) ? 1 : 0))}\n`);
  };
  setWarningLogger(toStderr);
  setErrorLogger(toStderr);
}

function isContext(value: unknown): value is { filename: string } {
  return typeof value === "object" && value !== null && "filename" in value && typeof value.filename === "string";
}
