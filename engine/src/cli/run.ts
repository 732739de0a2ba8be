import type { MessageConnection } from "vscode-jsonrpc/node";
import { defaultStateDir } from "../state/stateDir";
import { reportConfigFailure } from "./configFailure";
import { EXIT_OK, parseOptions, UsageError, type Verb } from "./verb";

export const runVerb: Verb = {
  name: "run",
  summary: "run the engine headless for a config, until SIGINT/SIGTERM (events on stdout)",
  usage: [
    "usage: redundancymaster run FILE [--state-dir DIR] [--control ipc]",
    "",
    "Runs every pair of FILE that is enabled on this machine (see `redundancymaster enable`), prints",
    "each runtime event on stdout as `DATE TIME SEVERITY [PAIR/SIDE] TEXT`, applies changes of FILE",
    "and of the enabled state without a restart, and on SIGINT/SIGTERM stops the pairs, writes the",
    "preserved event log and exits 0.",
    "  --state-dir DIR   event log, enabled state and certificates; default $XDG_STATE_HOME/redundancymaster",
    "                    or ~/.local/state/redundancymaster",
    "  --control ipc     also serve the control channel (JSON-RPC) on the IPC channel of a forked process",
    "",
    "Exit status: 0 stopped by a signal or the control channel, 1 FILE has errors, 2 usage or I/O failure.",
  ].join("\n"),
  async run(args, io) {
    const { options, positional } = parseOptions(args, ["state-dir", "control"]);
    if (positional.length !== 1) throw new UsageError("run needs exactly one config FILE");
    if (options.control !== undefined && options.control !== "ipc") throw new UsageError("--control takes 'ipc' (the only transport)");
    if (options.control === "ipc" && !process.send) throw new UsageError("--control ipc needs an IPC channel: start the engine with child_process.fork");
    // Loaded here, not at the top: the pairs bring node-opcua, which `validate` must not wait for.
    const [{ EngineHost }, { loadPairParts }, { consoleLine }, { sendLibraryLogsToStderr }] = await Promise.all([
      import("../host/engineHost.js"), import("../host/pairParts.js"), import("../events/eventLines.js"), import("../host/libraryLogs.js"),
    ]);
    sendLibraryLogsToStderr();
    const host = new EngineHost({
      configFile: positional[0],
      stateDir: typeof options["state-dir"] === "string" ? options["state-dir"] : defaultStateDir(),
      parts: await loadPairParts(),
      log: (line) => io.err(line),
    });
    host.onEvent((event) => io.out(consoleLine(event)));
    let stopFromControl: ((by?: string) => void) | undefined;
    // Who asked, for the engineStopping event: a signal's sender is not known, only the signal.
    const stopRequested = new Promise<{ reason: string; by: string }>((done) => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => done({ reason: signal, by: `signal ${signal} (command line or service manager)` }));
      if (options.control === "ipc") stopFromControl = (by) => done({ reason: "the control channel", by: by ?? "the extension closing the control channel" });
    });
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
