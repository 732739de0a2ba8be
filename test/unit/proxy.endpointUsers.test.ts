import assert from "node:assert/strict";
import { scryptSync } from "node:crypto";
import { describe, it } from "node:test";
import type { ClientSession } from "node-opcua";
import type { PairRuntime } from "../../engine/src/pair/pairRuntime";
import { EndpointUsers } from "../../engine/src/proxy/endpointUsers";

/** The pair's one say in a login: the active server's verdict, or none while no side is active (a failover under way). */
function pairAnswering(): { pair: PairRuntime; server: { up: boolean; password: string } } {
  const server = { up: true, password: "pw-right" };
  const pair = {
    activeSessionAs: async (_user: string, password: string) => (!server.up ? undefined : password === server.password ? ({} as ClientSession) : "refused"),
  } as unknown as PairRuntime;
  return { pair, server };
}

describe("endpoint logins remembered through an outage", () => {
  it("lets in, while no server can be asked, only the password the server accepted last, and keeps no copy of it", async () => {
    const { pair, server } = pairAnswering();
    const users = new EndpointUsers(pair);
    assert.equal(await users.check("operator", "pw-wrong"), false);
    assert.equal(await users.check("operator", "pw-right"), true);
    server.up = false;
    assert.equal(await users.check("operator", "pw-right"), true, "remembered");
    assert.equal(await users.check("operator", "pw-wrong"), false, "a wrong password is still wrong");
    assert.equal(await users.check("viewer", "pw-right"), false, "another user is not remembered");
    const [login] = (users as unknown as { accepted: Map<string, { salt: Buffer; hash: Buffer }> }).accepted.values();
    assert.ok(!JSON.stringify([login.salt.toString("latin1"), login.hash.toString("latin1")]).includes("pw-right"), "the password itself is not kept");
    assert.deepEqual(login.hash, scryptSync("pw-right", login.salt, 32), "an scrypt hash with a salt of its own, not a fast salted SHA-256");
    server.up = true;
    server.password = "pw-changed";
    assert.equal(await users.check("operator", "pw-right"), false, "the server's refusal forgets it");
    server.up = false;
    assert.equal(await users.check("operator", "pw-right"), false);
  });
});
