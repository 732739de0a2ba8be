import { format } from "node:util";
import { setErrorLogger, setWarningLogger } from "node-opcua";

/**
 * node-opcua prints its warnings (certificate creation, RSA policy notes) on stdout, where `run`
 * and `demo` print events, one a line, for people and scripts to read. Those warnings go to stderr.
 */
export function sendLibraryLogsToStderr(): void {
  // The loggers get a `{filename, callerline}` context first; the message is what follows.
  const toStderr = (...args: unknown[]) => process.stderr.write(`node-opcua: ${format(...args.slice(isContext(args[0]) ? 1 : 0))}\n`);
  setWarningLogger(toStderr);
  setErrorLogger(toStderr);
}

function isContext(value: unknown): boolean {
  return typeof value === "object" && value !== null && "filename" in value;
}
