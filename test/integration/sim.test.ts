import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AttributeIds, OPCUAClient, type ClientSession } from "node-opcua";
import { SimProcess } from "../../engine/src/sim/simProcess";
import { SIM_NAMESPACE } from "../../engine/src/sim/simServer";

// Ports 22400–22499 belong to this file.
describe("simulated server", () => {
  let sim: SimProcess;
  let client: OPCUAClient;
  let session: ClientSession;
  let ns: number;
  const read = async (name: string) => session.read({ nodeId: `ns=${ns};s=${name}`, attributeId: AttributeIds.Value });

  before(async () => {
    sim = await SimProcess.start({ port: 22410, identity: "primary", items: 5 });
    client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
    await client.connect(sim.url);
    session = await client.createSession();
    ns = (await session.readNamespaceArray()).indexOf(SIM_NAMESPACE);
  });

  after(async () => {
    await client.disconnect().catch(() => undefined);
    await sim.close();
  });

  it("serves its identity, a wall-clock counter and bulk items", async () => {
    assert.ok(ns > 0, "the sim namespace is registered");
    assert.equal((await read("Identity")).value.value, "primary");
    const counter = (await read("Counter")).value.value as number;
    assert.ok(Math.abs(counter - (Math.floor(Date.now() / 100) >>> 0)) < 50, `counter ${counter} follows the clock`);
    assert.equal((await read("Items.Item_0004")).statusCode.name, "Good");
  });

  it("takes values and statuses from its parent process", async () => {
    await sim.set("Quality", 7, "BadDeviceFailure");
    const dv = await read("Quality");
    assert.equal(dv.value.value, 7);
    assert.equal(dv.statusCode.name, "BadDeviceFailure");
  });

  it("dies on SIGKILL and comes back on the same port", async () => {
    await client.disconnect();
    await sim.kill();
    assert.equal(sim.running, false);
    await sim.restart();
    client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
    await client.connect(sim.url);
    session = await client.createSession();
    assert.equal((await read("Identity")).value.value, "primary");
  });
});
