import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { OPCUAClient } from "node-opcua";
import { createPair, type Pair } from "../../engine/src/pair/pair";
import { startPairEndpoint, type PairEndpoint } from "../../engine/src/proxy/pairEndpoint";
import { pairConfig } from "../support/pairHarness";
import { ProxyFixture, readValue, until } from "../support/proxyFixture";

const NAME = "KEPware.KEPServerEx.V6";

// Ports 23060–23069 belong to this file.
describe("proxy endpoint: two aliased pairs of the same upstream name", () => {
  let fx: ProxyFixture;
  let second: { pair: Pair; endpoint: PairEndpoint; promotions: string[] };
  const secondUrl = "opc.tcp://127.0.0.1:23063";

  before(async () => {
    fx = await ProxyFixture.start({ mode: "warm", ports: [23060, 23061, 23062], config: { name: NAME, alias: `${NAME}.Alias1`, effectiveName: `${NAME}.Alias1` } });
    const config = {
      ...pairConfig({ mode: "hot" }, [fx.primary.url, fx.secondary.url]),
      name: NAME,
      alias: `${NAME}.Alias2`,
      effectiveName: `${NAME}.Alias2`,
      port: 23063,
    };
    const promotions: string[] = [];
    const pair = createPair(config, { postEvent: (e) => e.kind === "promoted" && promotions.push(`${e.kind}.${e.side}`), onChanged: () => undefined });
    await pair.start();
    const endpoint = await startPairEndpoint(pair, { port: 23063, applicationName: config.effectiveName, pkiDir: join(tmpdir(), "redundancymaster-proxy-test-pki", "23062") });
    second = { pair, endpoint, promotions };
    await fx.primaryActiveFirst();
    await until("Alias2's primary active", () => pair.active !== null, 30_000);
    assert.deepEqual(promotions, ["promoted.primary"], "Alias2 starts on its primary");
  });

  after(async () => {
    await second?.endpoint.stop();
    await second?.pair.stop();
    await fx?.close();
  });

  async function applicationName(url: string): Promise<string | null> {
    const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
    await client.connect(url);
    const endpoints = await client.getEndpoints();
    await client.disconnect();
    return endpoints[0].server.applicationName.text;
  }

  it("serves each pair on its own port under its alias, with its own mode", async () => {
    assert.equal(await applicationName(fx.url), `${NAME}.Alias1`);
    assert.equal(await applicationName(secondUrl), `${NAME}.Alias2`);
    const one = await fx.connect();
    const two = await fx.connectTo(secondUrl);
    assert.equal((await readValue(one.session, "i=3709")).value.value, 2, "Alias1 is warm");
    assert.equal((await readValue(two.session, "i=3709")).value.value, 3, "Alias2 is hot");
    // Each from its own pair's primary, with no switch on either.
    assert.equal((await readValue(one.session, `ns=${one.ns};s=Identity`)).value.value, "primary");
    assert.equal((await readValue(two.session, `ns=${two.ns};s=Identity`)).value.value, "primary");
    assert.deepEqual([fx.promotions(), second.promotions], [["promoted.primary"], ["promoted.primary"]]);
  });

  it("keeps serving one when the other stops", async () => {
    const two = await fx.connectTo(secondUrl);
    await fx.endpoint.stop();
    const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
    await assert.rejects(client.connect(fx.url), "Alias1's port is closed");
    assert.equal((await readValue(two.session, `ns=${two.ns};s=Counter`)).statusCode.name, "Good");
  });
});
