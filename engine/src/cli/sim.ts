import type { SimServer } from "../sim/simServer";
import type { SimUser } from "../sim/simUsers";
import { EXIT_OK, parseOptions, UsageError, type Verb } from "./verb";

/** Messages a parent process sends a sim started with an IPC channel (see sim/simProcess.ts). */
export type SimCommand = { type: "set"; node: string; value: unknown; status?: string } | { type: "freeze"; node: string; frozen: boolean } | { type: "shutdown"; seconds: number };

export const simVerb: Verb = {
  name: "sim",
  summary: "run a simulated OPC UA server (for trying a pair without plant hardware)",
  usage: [
    "usage: redundancymaster sim --port N [--identity NAME] [--items N] [--rate HZ] [--extra NODE,…] [--namespaces-before URI,…]",
    "                          [--max-items-per-subscription N] [--max-items-per-call N] [--users-env VAR] [--pki-dir DIR]",
    "",
    "Serves opc.tcp://127.0.0.1:N with namespace urn:redundancymaster:sim: Counter (10 Hz, the same",
    "value on every sim at the same moment), Identity, Channel_1.Device_1.Tag_1 (writable),",
    "Channel_1.Device_1._System._Error, Quality, Watchdog, Array, and N bulk items Items.Item_0000…",
    "changing at HZ, and Tank with Tank.Level and its limit alarm Tank.LevelAlarm. With --users-env,",
    'only the users listed in the environment variable VAR are accepted (JSON: [{"name", "password",',
    '"readOnly"}]), and only those not readOnly may write. --namespaces-before registers those',
    "namespaces first, so the sim's own gets a higher index (a server whose table differs from its",
    "partner's). --max-items-per-subscription refuses monitored items beyond N in a subscription",
    "(BadTooManyMonitoredItems); --max-items-per-call refuses a request to create more than N monitored",
    "items whole (BadTooManyOperations; node-opcua's default: 10000). --pki-dir keeps its certificate",
    "there (default: a folder per port under the temp folder). Runs until SIGINT/SIGTERM.",
  ].join("\n"),
  async run(args, io) {
    const { options } = parseOptions(args, ["port", "identity", "items", "rate", "extra", "namespaces-before", "max-items-per-subscription", "max-items-per-call", "users-env", "pki-dir"]);
    const port = Number(options.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError("--port must be a port number");
    const users = usersFrom(options["users-env"]);
    // Loaded here, not at the top: node-opcua takes a second to load and no other verb needs it.
    const [{ startSimServer, SIM_NAMESPACE, SimNodes }, { sendLibraryLogsToStderr }] = await Promise.all([import("../sim/simServer.js"), import("../host/libraryLogs.js")]);
    sendLibraryLogsToStderr();
    const sim = await startSimServer({
      port,
      identity: String(options.identity ?? `sim-${port}`),
      items: options.items === undefined ? 0 : Number(options.items),
      rateHz: options.rate === undefined ? 10 : Number(options.rate),
      extraNodes: typeof options.extra === "string" ? options.extra.split(",").filter(Boolean) : [],
      namespacesBefore: typeof options["namespaces-before"] === "string" ? options["namespaces-before"].split(",").filter(Boolean) : [],
      maxMonitoredItemsPerSubscription: options["max-items-per-subscription"] === undefined ? undefined : Number(options["max-items-per-subscription"]),
      maxMonitoredItemsPerCall: options["max-items-per-call"] === undefined ? undefined : Number(options["max-items-per-call"]),
      users,
      ...(typeof options["pki-dir"] === "string" ? { pkiDir: options["pki-dir"] } : {}),
      // Forked by a test: it learns which logins arrived (names and verdicts, no password).
      onLogin: (user, accepted) => process.send?.({ type: "login", user, accepted }),
    });
    io.out(`simulated server '${options.identity ?? `sim-${port}`}' listening on ${sim.url}`);
    // What a config's monitor items and a client need: the namespace and a few NodeIds to start from.
    const id = (name: string) => `ns=${sim.namespaceIndex};s=${name}`;
    io.out(`  namespace ${SIM_NAMESPACE} is ns=${sim.namespaceIndex}; a few of its nodes:`);
    for (const [name, what] of [
      [SimNodes.counter, "UInt32, +1 every 100 ms (the same value on every sim at the same moment)"],
      [SimNodes.watchdog, "Int32, changes every 100 ms"],
      [SimNodes.tag, "Double, writable"],
      [SimNodes.level, `Double, writable; ${id(SimNodes.levelAlarm)} alarms above 80`],
    ] as const)
      io.out(`  ${id(name).padEnd(32)} ${what}`);
    await serveUntilStopped(sim);
    return EXIT_OK;
  },
};

/** Passwords come through the environment, never the command line, which other users of the machine can see. */
function usersFrom(variable: string | true | undefined): SimUser[] {
  if (variable === undefined) return [];
  const text = typeof variable === "string" ? process.env[variable] : undefined;
  if (text === undefined) throw new UsageError("--users-env must name a set environment variable");
  try {
    const users = JSON.parse(text) as SimUser[];
    if (Array.isArray(users) && users.every((u) => typeof u.name === "string" && typeof u.password === "string")) return users;
  } catch {
    // reported below
  }
  throw new UsageError(`${variable} must hold [{"name": …, "password": …, "readOnly": true|false}]`);
}

function serveUntilStopped(sim: SimServer): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (seconds: number) => {
      if (stopping) return;
      stopping = true;
      void sim.shutdown(seconds).then(() => {
        process.disconnect?.();
        resolve();
      });
    };
    process.once("SIGINT", () => stop(0));
    process.once("SIGTERM", () => stop(0));
    // Forked by a test or the demo: when that parent dies (killed on a timeout), so does the sim, rather than holding its port.
    process.once("disconnect", () => stop(0));
    process.on("message", (message: SimCommand) => {
      try {
        if (message.type === "set") sim.set(message.node, message.value, message.status);
        else if (message.type === "freeze") sim.freeze(message.node, message.frozen);
        else if (message.type === "shutdown") stop(message.seconds);
        process.send?.({ type: "ack" });
      } catch (err) {
        process.send?.({ type: "error", message: (err as Error).message });
      }
    });
    process.send?.({ type: "ready", url: sim.url, namespaceIndex: sim.namespaceIndex });
  });
}
