import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { anchored, OPC_URL_PATTERN } from "../config/patterns";
import { newConfig, type NewSide } from "../config/newPair";
import { analyzeConfig } from "../config/validate";
import { canListen } from "./portCheck";
import { EXIT_OK, parseOptions, UsageError, type Verb } from "./verb";
import { errorMessage } from "../errorMessage";
import { fileExists } from "../state/fileExists";

const OPC_URL = anchored(OPC_URL_PATTERN);
/** The OPC UA port (IANA 4840), or the next free one: where clients look first. */
const FIRST_PORT = 4840;

export const initVerb: Verb = {
  name: "init",
  summary: "write a configuration for one pair from its two servers' URLs",
  usage: [
    "usage: redundancymaster init PRIMARY_URL SECONDARY_URL [--out FILE] [--name NAME] [--port N] [--force]",
    "",
    "Asks both servers for their application names (GetEndpoints, 3 s each; a server that does not",
    "answer is named after its URL) and writes FILE (default ./redundancymaster.xml) with one pair:",
    "warm mode, failing back to the primary, its endpoint on port N, machine names taken from the",
    "URLs' hosts (or the servers' names when both run on one host). Then prints the next steps.",
    "  --out FILE   where to write the configuration; an existing FILE is kept unless --force",
    "  --name NAME  the pair's name (default: the primary's application name)",
    `  --port N     where the pair's OPC UA clients connect (default ${FIRST_PORT}, or the next free port)`,
    "",
    "Exit status: 0 written, 2 usage error, FILE exists, or it could not be written.",
  ].join("\n"),
  async run(args, io) {
    const { options, positional } = parseOptions(args, ["out", "name", "port"], ["force"]);
    if (positional.length !== 2) throw new UsageError("init needs the primary's and the secondary's endpoint URLs");
    for (const url of positional) if (!OPC_URL.test(url)) throw new UsageError(`'${url}' is not an opc.tcp:// URL (e.g. opc.tcp://plc-a:4840)`);
    const out = resolve(typeof options.out === "string" ? options.out : "redundancymaster.xml");
    if (!options.force && (await fileExists(out))) throw new Error(`${out} exists; choose another --out, or --force to replace it`);
    const port = options.port === undefined ? await firstFreePort() : Number(options.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError("--port must be a port number");

    const [primary, secondary] = await Promise.all(positional.map((url) => describeServer(url)));
    for (const side of [primary, secondary]) {
      if (side.answer) io.out(`${side.url}: ${side.answer}`);
      else io.err(`${side.url} did not answer (${side.problem}); named after its URL`);
    }
    const name = typeof options.name === "string" ? options.name : (primary.applicationName ?? "RedundantServer");
    const text = newConfig({ name, port, primary: { url: primary.url, applicationName: primary.applicationName }, secondary: { url: secondary.url, applicationName: secondary.applicationName } });
    const findings = analyzeConfig(text).diagnostics;
    const errors = findings.filter((d) => d.severity === "error");
    if (errors.length) throw new UsageError(`the pair cannot be written as given: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, text, { flag: options.force ? "w" : "wx" });

    io.out(`wrote ${out}: pair '${name}', warm mode with failback to the primary; its clients connect on port ${port}`);
    for (const d of findings) io.out(`  ${d.severity} ${d.code} ${d.message}`);
    if (options.port === undefined && port !== FIRST_PORT) io.out(`  (port ${FIRST_PORT} is in use here)`);
    io.out("next, on the machine that runs the engine (pairs start disabled on each machine):");
    io.out(`  redundancymaster enable ${out} --all`);
    io.out(`  redundancymaster run ${out}`);
    return EXIT_OK;
  },
};

/** A side's URL and the application name its server reports; a server that does not answer is described by its URL alone. */
async function describeServer(url: string): Promise<NewSide & { answer?: string; problem?: string }> {
  const [{ discoverServers }, { defaultPkiFolder }, { sendLibraryLogsToStderr }] = await Promise.all([
    import("../browse/discovery.js"),
    import("../browse/endpointSession.js"),
    import("../host/libraryLogs.js"),
  ]);
  sendLibraryLogsToStderr();
  try {
    const found = await discoverServers(url, defaultPkiFolder());
    const applicationName = found.find((s) => s.endpoints.some((e) => e.url === url))?.applicationName ?? found[0]?.applicationName;
    return { url, applicationName, answer: applicationName ? `'${applicationName}'` : "answers, without an application name" };
  } catch (err) {
    return { url, problem: oneLine(err) };
  }
}

/** node-opcua's connection errors run over three lines; the cause is in the last, `Err = (…)`. */
function oneLine(err: unknown): string {
  const message = errorMessage(err);
  return /Err = \((.+)\)\s*$/s.exec(message)?.[1] ?? message.replace(/\s*\n\s*/g, " ");
}

async function firstFreePort(): Promise<number> {
  for (let port = FIRST_PORT; port < FIRST_PORT + 100; port++) if (await canListen(port)) return port;
  throw new Error(`no free port in ${FIRST_PORT}–${FIRST_PORT + 99}; choose one with --port`);
}
