import assert from "node:assert/strict";
import { after, before, describe as suite, it } from "node:test";
import { SimProcess } from "../../engine/src/sim/simProcess";
import { DISCOVER_SERVERS_REQUEST, type DiscoveredServer } from "../../server/src/requests";
import { closedPortUrl } from "./liveServers";
import { LspClient } from "./lspClient";

// Ports 22680–22681.
let client: LspClient;
let sim: SimProcess;

before(async () => {
  client = await LspClient.start({ liveCheck: false });
  sim = await SimProcess.start({ port: 22680, identity: "plant-a" });
});
after(async () => {
  await client?.close();
  await sim?.close();
});

suite("server discovery (Add Redundant Server Configuration)", () => {
  it("finds the server at a discovery URL with its endpoints and security modes", async () => {
    const servers = await client.request<DiscoveredServer[]>(DISCOVER_SERVERS_REQUEST, { url: sim.url });
    const plant = servers.find((s) => s.applicationName === "plant-a");
    assert.ok(plant, `plant-a among ${JSON.stringify(servers.map((s) => s.applicationName))}`);
    assert.equal(plant.applicationUri, "urn:redundancymaster:sim:plant-a");
    const modes = new Set(plant.endpoints.map((e) => e.securityMode));
    assert.ok(modes.has("None") && modes.has("SignAndEncrypt"), `modes ${[...modes]}`);
    assert.ok(
      plant.endpoints.every((e) => e.url.startsWith("opc.tcp://")),
      JSON.stringify(plant.endpoints),
    );
  });

  it("answers an unreachable host with an error that says so", async () => {
    await assert.rejects(client.request(DISCOVER_SERVERS_REQUEST, { url: closedPortUrl(22681) }), /22681/);
  });
});
