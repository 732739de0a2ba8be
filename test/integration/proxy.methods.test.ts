import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DataType, OPCUACertificateManager, OPCUAClient, OPCUAServer, StatusCodes, Variant, type ClientSession, type ISessionContext } from "node-opcua";
import type { Side } from "../../engine/src/events/catalog";
import { createPair, type Pair } from "../../engine/src/pair/pair";
import { startPairEndpoint, type PairEndpoint } from "../../engine/src/proxy/pairEndpoint";
import { pairConfig } from "../support/pairHarness";
import { until } from "../support/proxyFixture";

const PLANT = "urn:redundancymaster:test:plant";

/**
 * A server with a method, started in this process: the sims have none. The secondary registers
 * another namespace first, so the plant namespace has a different index on each side.
 */
async function plantServer(port: number, side: Side): Promise<OPCUAServer> {
  const pkiDir = join(tmpdir(), "redundancymaster-proxy-test-pki", String(port));
  mkdirSync(pkiDir, { recursive: true });
  const server = new OPCUAServer({
    port,
    hostname: "127.0.0.1",
    serverCertificateManager: new OPCUACertificateManager({ rootFolder: pkiDir, automaticallyAcceptUnknownCertificate: true }),
    serverInfo: { applicationUri: `urn:redundancymaster:test:${side}` },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  if (side === "secondary") addressSpace.registerNamespace("urn:redundancymaster:test:unrelated");
  const namespace = addressSpace.registerNamespace(PLANT);
  const calculator = namespace.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: "Calculator", nodeId: "s=Calculator" });
  const add = namespace.addMethod(calculator, {
    browseName: "Add",
    nodeId: "s=Calculator.Add",
    inputArguments: [
      { name: "a", dataType: DataType.Double },
      { name: "b", dataType: DataType.Double },
    ],
    outputArguments: [
      { name: "sum", dataType: DataType.Double },
      { name: "side", dataType: DataType.String },
    ],
  });
  add.bindMethod(async (inputs: Variant[], _context: ISessionContext) => {
    const [a, b] = inputs.map((v) => Number(v.value));
    if (b === 0) return { statusCode: StatusCodes.BadOutOfRange };
    return {
      statusCode: StatusCodes.Good,
      outputArguments: [new Variant({ dataType: DataType.Double, value: a + b }), new Variant({ dataType: DataType.String, value: side })],
    };
  });
  await server.start();
  return server;
}

// Ports 23080–23089 belong to this file.
describe("proxy endpoint: method calls", () => {
  let servers: OPCUAServer[];
  let pair: Pair;
  let endpoint: PairEndpoint;
  let client: OPCUAClient;
  let session: ClientSession;
  let ns: number;

  const call = (a: unknown, b: unknown, dataType = DataType.Double) =>
    session.call({
      objectId: `ns=${ns};s=Calculator`,
      methodId: `ns=${ns};s=Calculator.Add`,
      inputArguments: [new Variant({ dataType, value: a }), new Variant({ dataType, value: b })],
    });

  before(async () => {
    servers = [await plantServer(23080, "primary"), await plantServer(23081, "secondary")];
    const config = {
      ...pairConfig({ mode: "warm", alwaysReconnectToPrimary: false, statusIntervalMs: 2000, statusTimeoutMs: 1500 }, ["opc.tcp://127.0.0.1:23080", "opc.tcp://127.0.0.1:23081"]),
      port: 23082,
    };
    pair = createPair(config, { postEvent: () => undefined, onChanged: () => undefined });
    await pair.start();
    endpoint = await startPairEndpoint(pair, { port: 23082, applicationName: config.effectiveName, pkiDir: join(tmpdir(), "redundancymaster-proxy-test-pki", "23082") });
    client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
    await client.connect("opc.tcp://127.0.0.1:23082");
    session = await client.createSession();
    ns = (await session.readNamespaceArray()).indexOf(PLANT);
  });

  after(async () => {
    await client?.disconnect().catch(() => undefined);
    await endpoint?.stop();
    await pair?.stop();
    await Promise.all((servers ?? []).map((s) => s.shutdown(0)));
  });

  it("forwards a call to the active side and returns its output", async () => {
    await until("the primary active", () => pair.active === "primary");
    const result = await call(2, 3);
    assert.equal(result.statusCode.name, "Good");
    assert.deepEqual(
      result.outputArguments?.map((v) => v.value),
      [5, "primary"],
    );
  });

  it("passes the upstream's status back", async () => {
    assert.equal((await call(2, 0)).statusCode.name, "BadOutOfRange");
    assert.notEqual((await call("x", "y", DataType.String)).statusCode.name, "Good");
  });

  it("after a failover, calls the secondary, whose namespace index differs", async () => {
    await servers[0].shutdown(0);
    await until("the secondary active", () => pair.active === "secondary", 30_000);
    const result = await call(4, 5);
    assert.equal(result.statusCode.name, "Good");
    assert.deepEqual(
      result.outputArguments?.map((v) => v.value),
      [9, "secondary"],
    );
  });
});
