import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataType, OPCUACertificateManager, OPCUAServer, StatusCode, StatusCodes, Variant, VariantArrayType, type Namespace, type UAObject, type UAVariable } from "node-opcua";
import { everyTick, tick } from "./simClock";
import { installHistory } from "./simHistory";
import { addTank } from "./simTank";
import { OPERATORS_WRITE, usersOption, type SimUser } from "./simUsers";

/** Namespace of every simulated node; primary and secondary share it, as a real redundant pair does. */
export const SIM_NAMESPACE = "urn:redundancymaster:sim";

/** Node names, all in SIM_NAMESPACE (`ns=<index of SIM_NAMESPACE>;s=<name>`, index 2 on the sim itself). */
export const SimNodes = {
  /** floor(now / 100 ms): two sims show the same value at the same moment, so a gap across a switch is visible. */
  counter: "Counter",
  /** Which sim this is (its --identity). */
  identity: "Identity",
  /** A writable Double, for forwarding writes. */
  tag: "Channel_1.Device_1.Tag_1",
  /** A writable Boolean, for the specificValue trigger. */
  error: "Channel_1.Device_1._System._Error",
  /** A Double whose status the test sets Bad, for the badQuality trigger. */
  quality: "Quality",
  /** Changes every 100 ms unless frozen, for the noDataChange trigger. */
  watchdog: "Watchdog",
  /** An Int32 array, for the array-data event. */
  array: "Array",
  /** A writable Double (50 at start) that the Tank's level alarm watches. */
  level: "Tank.Level",
  /** An ExclusiveLimitAlarm on Tank.Level (High 80, HighHigh 90, Low 10, LowLow 5), source Tank, an event source of the Server. */
  levelAlarm: "Tank.LevelAlarm",
  /** Prefix of the bulk items, `Items.Item_0000` …, for load and benchmarks. */
  items: "Items.Item_",
} as const;

export interface SimServerOptions {
  port: number;
  /** Shown as the server's application name and in the Identity node. */
  identity: string;
  /** Number of bulk items that change at rateHz (0 by default). */
  items?: number;
  rateHz?: number;
  /** Extra writable Double nodes that only this sim has (to make a pair "not synced"). */
  extraNodes?: string[];
  /**
   * Namespace URIs registered before SIM_NAMESPACE, so that the plant's nodes get another index
   * here than on a sim without them (as on two servers of one product with other plug-ins).
   */
  namespacesBefore?: string[];
  /** The most monitored items one subscription may hold (BadTooManyMonitoredItems beyond): a server that refuses items. */
  maxMonitoredItemsPerSubscription?: number;
  /** A CreateMonitoredItems request of more items than this is refused whole (BadTooManyOperations); node-opcua's default is 10,000. */
  maxMonitoredItemsPerCall?: number;
  /**
   * User names and passwords the server accepts; anonymous sessions are refused when there are
   * any. Then only users that are not readOnly may write the writable nodes (the Operator role).
   */
  users?: SimUser[];
  /** PKI folder; defaults to one per port under the temp folder (reused across restarts to save start time). */
  pkiDir?: string;
  /** Told of every login the server checks: the user name and whether it was accepted (never the password). */
  onLogin?: (user: string, accepted: boolean) => void;
}

export interface SimServer {
  url: string;
  namespaceIndex: number;
  /** Sets a node's value and status as the device would (status defaults to Good). */
  set(name: string, value: unknown, status?: string): void;
  /** Stops or resumes the updates of one node (noDataChange trigger). */
  freeze(name: string, frozen: boolean): void;
  /** Announces shutdown (ServerStatus.State = Shutdown, SecondsTillShutdown counts down), then closes. */
  shutdown(seconds: number): Promise<void>;
}

export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const pkiDir = options.pkiDir ?? join(tmpdir(), "redundancymaster-sim-pki", String(options.port));
  mkdirSync(pkiDir, { recursive: true });
  const serverCertificateManager = new OPCUACertificateManager({ rootFolder: pkiDir, automaticallyAcceptUnknownCertificate: true });
  const server = new OPCUAServer({
    port: options.port,
    hostname: "127.0.0.1",
    alternateHostname: ["localhost"],
    serverCertificateManager,
    ...usersOption(options.users, options.onLogin),
    // A client that asks for every change of the Counter (sampling interval 0) gets every one:
    // a test counts them, and a 50 ms sampler would miss a tick whenever this process stalls.
    serverCapabilities: {
      minSupportedSampleRate: 0,
      ...(options.maxMonitoredItemsPerSubscription ? { maxMonitoredItemsPerSubscription: options.maxMonitoredItemsPerSubscription } : {}),
      ...(options.maxMonitoredItemsPerCall ? { operationLimits: { maxMonitoredItemsPerCall: options.maxMonitoredItemsPerCall } } : {}),
    },
    serverInfo: { applicationName: { text: options.identity }, applicationUri: `urn:redundancymaster:sim:${options.identity}` },
    buildInfo: { productName: "RedundancyMaster simulated server", manufacturerName: "redundancymaster" },
  });
  await server.initialize();
  for (const uri of options.namespacesBefore ?? []) server.engine.addressSpace!.registerNamespace(uri);
  const namespace = server.engine.addressSpace!.registerNamespace(SIM_NAMESPACE);
  const variables = new Map<string, UAVariable>();
  const frozen = new Set<string>();
  const objects = server.engine.addressSpace!.rootFolder.objects;
  const folder = namespace.addFolder(objects, { browseName: "Simulation", nodeId: "s=Simulation" });

  const add = (name: string, dataType: DataType, value: unknown, arrayType = VariantArrayType.Scalar, parent: UAObject = folder) => {
    const variable = namespace.addVariable({
      componentOf: parent,
      browseName: name,
      nodeId: `s=${name}`,
      dataType: DataType[dataType],
      valueRank: arrayType === VariantArrayType.Array ? 1 : -1,
      accessLevel: "CurrentRead | CurrentWrite",
      userAccessLevel: "CurrentRead | CurrentWrite",
      minimumSamplingInterval: 50,
      ...(options.users?.length ? { rolePermissions: OPERATORS_WRITE } : {}),
    });
    variable.setValueFromSource(new Variant({ dataType, arrayType, value }), StatusCodes.Good);
    variables.set(name, variable);
    return variable;
  };

  const counter = add(SimNodes.counter, DataType.UInt32, tick() >>> 0);
  counter.minimumSamplingInterval = 0;
  add(SimNodes.identity, DataType.String, options.identity);
  add(SimNodes.tag, DataType.Double, 0);
  add(SimNodes.error, DataType.Boolean, false);
  add(SimNodes.quality, DataType.Double, 1);
  add(SimNodes.watchdog, DataType.Int32, 0);
  add(SimNodes.array, DataType.Int32, [1, 2, 3], VariantArrayType.Array);
  for (const extra of options.extraNodes ?? []) add(extra, DataType.Double, 0);
  addTank(namespace, folder, add);
  const itemCount = options.items ?? 0;
  const itemNames = Array.from({ length: itemCount }, (_, i) => `${SimNodes.items}${String(i).padStart(4, "0")}`);
  if (itemCount > 0) addItemsFolder(namespace, folder, itemNames, variables);
  installHistory(server.engine.addressSpace!, namespace, counter);

  try {
    await server.start();
  } catch (err) {
    // A taken port: release what initialize() holds, or the process would live on without serving.
    await server.shutdown(0).catch(() => undefined);
    await serverCertificateManager.dispose();
    throw err;
  }

  // Updates start only once the server serves, so a failed start leaves no timer behind.
  const update = (name: string, dataType: DataType, value: unknown) => {
    if (frozen.has(name)) return;
    variables.get(name)!.setValueFromSource(new Variant({ dataType, value }), StatusCodes.Good);
  };
  const fast = everyTick(() => {
    update(SimNodes.counter, DataType.UInt32, tick() >>> 0);
    update(SimNodes.watchdog, DataType.Int32, tick() & 0x7fffffff);
  });
  const itemTimer =
    itemCount > 0
      ? setInterval(
          () => {
            const now = new Date();
            const value = tick();
            for (const name of itemNames) variables.get(name)!.setValueFromSource(new Variant({ dataType: DataType.Double, value }), StatusCodes.Good, now);
          },
          1000 / (options.rateHz ?? 10),
        )
      : undefined;
  const stopTimers = () => {
    fast.stop();
    if (itemTimer) clearInterval(itemTimer);
  };
  return {
    url: `opc.tcp://127.0.0.1:${options.port}`,
    namespaceIndex: namespace.index,
    set(name, value, status = "Good") {
      const variable = variables.get(name);
      if (!variable) throw new Error(`the sim has no node '${name}'`);
      const dataType = variable.getBasicDataType();
      const arrayType = Array.isArray(value) ? VariantArrayType.Array : VariantArrayType.Scalar;
      const code = (StatusCodes as unknown as Record<string, StatusCode>)[status];
      if (!code) throw new Error(`unknown status code '${status}'`);
      variable.setValueFromSource(new Variant({ dataType, arrayType, value }), code);
    },
    freeze(name, isFrozen) {
      if (isFrozen) frozen.add(name);
      else frozen.delete(name);
    },
    async shutdown(seconds) {
      stopTimers();
      await server.shutdown(seconds * 1000);
      await serverCertificateManager.dispose();
    },
  };
}

function addItemsFolder(namespace: Namespace, parent: import("node-opcua").UAObject, names: string[], variables: Map<string, UAVariable>) {
  const items = namespace.addFolder(parent, { browseName: "Items", nodeId: "s=Items" });
  for (const name of names) {
    const variable = namespace.addVariable({
      componentOf: items,
      browseName: name.slice(SimNodes.items.length - "Item_".length),
      nodeId: `s=${name}`,
      dataType: "Double",
      minimumSamplingInterval: 50,
    });
    variable.setValueFromSource(new Variant({ dataType: DataType.Double, value: 0 }), StatusCodes.Good);
    variables.set(name, variable);
  }
}
