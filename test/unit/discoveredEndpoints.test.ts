import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { endpointChoices } from "../../client/src/commands/discoveredEndpoints";

describe("discovered endpoints offered by Add Redundant Server Configuration", () => {
  it("offers each server's URL once, with all its security modes", () => {
    const choices = endpointChoices([
      {
        applicationName: "Plant A",
        applicationUri: "urn:a",
        endpoints: [
          { url: "opc.tcp://a:4840", securityMode: "None", securityPolicy: "None" },
          { url: "opc.tcp://a:4840", securityMode: "Sign", securityPolicy: "Basic256Sha256" },
          { url: "opc.tcp://a:4840", securityMode: "SignAndEncrypt", securityPolicy: "Basic256Sha256" },
          { url: "opc.tcp://a.plant:4840", securityMode: "None", securityPolicy: "None" },
        ],
      },
      { applicationName: "Plant B", applicationUri: "urn:b", endpoints: [{ url: "opc.tcp://a:4840", securityMode: "None", securityPolicy: "None" }] },
    ]);
    assert.deepEqual(choices, [
      { serverName: "Plant A", url: "opc.tcp://a:4840", security: ["None", "Sign (Basic256Sha256)", "SignAndEncrypt (Basic256Sha256)"] },
      { serverName: "Plant A", url: "opc.tcp://a.plant:4840", security: ["None"] },
      { serverName: "Plant B", url: "opc.tcp://a:4840", security: ["None"] },
    ]);
  });

  it("offers nothing for a host that knows no servers", () => {
    assert.deepEqual(endpointChoices([]), []);
  });
});
