import type { MessageConnection } from "vscode-jsonrpc/node";
import { loadConfigFile } from "../config/loadConfig";
import { defaultStateDir } from "../state/stateDir";
import { boundHeapGrowth } from "../host/heapGrowth";
import { reportConfigFailure } from "./configFailure";
import { cliEnableHint, extensionEnableHint } from "../host/enableHint";
import { EXIT_OK, parseOptions, UsageError, type Verb } from "./verb";

export const runVerb: Verb = {
  name: "run",
  summary: "run the engine headless for a config, until SIGINT/SIGTERM (events on stdout)",
  usage: [
    "usage: redundancymaster run FILE [--state-dir DIR] [--control ipc]",
    "",
    "Runs every pair of FILE that is enabled on this machine (see `redundancymaster enable`), prints",
    "each runtime event on stdout as `DATE TIME SEVERITY [PAIR/SIDE] TEXT` (among them the URL each",
    "pair's clients connect to), applies changes of FILE and of the enabled state without a restart,",
    "and on SIGINT/SIGTERM stops the pairs, writes the preserved event log and exits 0.",
    "  --state-dir DIR   event log, enabled state and certificates; default $XDG_STATE_HOME/redundancymaster",
    "                    or ~/.local/state/redundancymaster",
    "  --control ipc     also serve the control channel (JSON-RPC) on the IPC channel of a forked process",
    "                    (the VS Code extension's way; its hints then name the extension's commands)",
    "",
    "Exit status: 0 stopped by a signal or the control channel, 1 FILE has errors, 2 usage or I/O failure.",
  ].join("\n"),
  async run(args, io) {
    // First of all: a Ctrl+C while node-opcua loads still ends in a clean stop. `on`, not `once`:
    // under npx the signal reaches the engine twice (from the terminal, and forwarded by npm), and
    // a second one without a listener would kill it in the middle of its stop.
    let stopFromControl: ((by?: string) => void) | undefined;
    // Who asked, for the engineStopping event: a signal's sender is not known, only the signal.
    const stopRequested = new Promise<{ reason: string; by: string }>((done) => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => done({ reason: signal, by: `signal ${signal} (command line or service manager)` }));
      stopFromControl = (by) => done({ reason: "the control channel", by: by ?? "the extension closing the control channel" });
    });
    const { options, positional } = parseOptions(args, ["state-dir", "control"]);
    if (positional.length !== 1) throw new UsageError("run needs exactly one config FILE");
    if (options.control !== undefined && options.control !== "ipc") throw new UsageError("--control takes 'ipc' (the only transport)");
    if (options.control === "ipc" && !process.send) throw new UsageError("--control ipc needs an IPC channel: start the engine with child_process.fork");
    const configFile = positional[0];
    boundHeapGrowth();
    // A file with errors is refused before node-opcua loads (a second or more), so that an editor
    // starting the engine on every save hears about the errors at once.
    try {
      await loadConfigFile(configFile);
    } catch (err) {
      return reportConfigFailure(err, io);
    }
    const [{ EngineHost }, { loadPairFactory }, { consoleLine }, { sendLibraryLogsToStderr }] = await Promise.all([
      import("../host/engineHost.js"),
      import("../host/pairFactory.js"),
      import("../events/eventLines.js"),
      import("../host/libraryLogs.js"),
    ]);
    sendLibraryLogsToStderr();
    const stateDir = typeof options["state-dir"] === "string" ? options["state-dir"] : defaultStateDir();
    const host = new EngineHost({
      configFile,
      stateDir,
      factory: await loadPairFactory(),
      log: (line) => io.err(line),
      enableHint: options.control === "ipc" ? extensionEnableHint : cliEnableHint(stateDir),
    });
    host.onEvent((event) => io.out(consoleLine(event)));
    // One pair's unexpected error restarts that pair, not the engine (EngineHost.reportFault).
    process.on("uncaughtException", (error) => host.reportFault(error));
    process.on("unhandledRejection", (error) => host.reportFault(error));
    try {
      await host.start();
    } catch (err) {
      await host.stop();
      return reportConfigFailure(err, io);
    }
    let control: MessageConnection | undefined;
    if (options.control === "ipc") control = (await import("../control/controlServer.js")).serveControl(host, (by) => stopFromControl?.(by));
    const pairs = host.snapshot().pairs;
    io.err(`redundancymaster: running ${pairs.filter((p) => p.enabled).length} of ${pairs.length} pairs of ${host.configFile}; state in ${host.paths.dir}`);
    // Signal handlers do not keep Node running; with every pair disabled nothing else would.
    const keepAlive = setInterval(() => undefined, 2 ** 30);
    const { reason, by } = await stopRequested;
    io.err(`redundancymaster: stopping (${reason})`);
    await host.stop(by);
    clearInterval(keepAlive);
    control?.dispose();
    if (process.connected) process.disconnect();
    return EXIT_OK;
  },
};
