import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { VariableIds, type ClientSession } from "node-opcua";
import { ProxyFixture, readValue, record, until, type Recorded } from "../support/proxyFixture";

// Ports 23050–23059 belong to this file.
describe("proxy endpoint: both sides down, then back; ServiceLevel and RedundancySupport", () => {
  let fx: ProxyFixture;
  let proxy: { session: ClientSession; ns: number };
  let counter: Recorded[];

  const serviceLevel = async () => Number((await readValue(proxy.session, `i=${VariableIds.Server_ServiceLevel}`)).value.value);
  const serviceLevelBecomes = (what: string, check: (level: number) => boolean) => until(`ServiceLevel ${what}`, async () => check(await serviceLevel()), 30_000);

  before(async () => {
    fx = await ProxyFixture.start({ mode: "warm", ports: [23050, 23051, 23052] });
    proxy = await fx.connect();
    counter = (await record(proxy.session, `ns=${proxy.ns};s=Counter`)).values;
  });

  after(async () => {
    await fx?.close();
  });

  it("states the mode as RedundancySupport (Warm = 2) and 255 while both sides are healthy", async () => {
    assert.equal((await readValue(proxy.session, `i=${VariableIds.Server_ServerRedundancy_RedundancySupport}`)).value.value, 2);
    await serviceLevelBecomes("255", (l) => l === 255);
  });

  it("drops ServiceLevel into 200–254 with one side left", async () => {
    const standby = fx.pair.active === "primary" ? "secondary" : "primary";
    await fx.sim(standby).kill();
    await serviceLevelBecomes("200–254", (l) => l >= 200 && l <= 254);
    await until("values still Good", () => counter.at(-1)?.status === "Good");
  });

  it("turns values BadNoCommunication and ServiceLevel 1 while no side is available", async () => {
    await Promise.all([fx.primary.kill(), fx.secondary.kill()]);
    await until("the forwarded Counter Bad", () => counter.at(-1)?.status === "BadNoCommunication");
    assert.equal((await readValue(proxy.session, `ns=${proxy.ns};s=Identity`)).statusCode.name, "BadNoCommunication");
    assert.equal(await serviceLevel(), 1);
  });

  it("recovers Good values and ServiceLevel 255 when the sides return", async () => {
    const back = Date.now();
    await Promise.all([fx.primary.restart(), fx.secondary.restart()]);
    await until("the forwarded Counter Good again", () => counter.some((v) => v.at > back && v.status === "Good"), 30_000);
    await until("fresh counter values", () => counter.filter((v) => v.at > back && v.status === "Good").length >= 5);
    assert.equal((await readValue(proxy.session, `ns=${proxy.ns};s=Identity`)).statusCode.name, "Good");
    await serviceLevelBecomes("255 again", (l) => l === 255);
  });
});
