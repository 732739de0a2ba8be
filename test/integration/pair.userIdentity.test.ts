import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AttributeIds, DataType, UserTokenType, type ClientSession } from "node-opcua";
import { SimNodes } from "../../engine/src/sim/simServer";
import type { SecurityConfig } from "../../engine/src/config/model";
import { formatEventText } from "../../engine/src/events/catalog";
import { createPair, type Pair } from "../../engine/src/pair/pair";
import { pairConfig, type PostedEvent } from "../support/pairHarness";
import { ProxyFixture, readValue, record, until } from "../support/proxyFixture";

const USER = "operator";
const PASSWORD = "pw-7Qx!right-one";
const WRONG_PASSWORD = "pw-3Zk!wrong-one";
const VIEWER = "viewer";
const VIEWER_PASSWORD = "pw-9Lm!viewer";
const PASSWORD_ENV = "RM_TEST_UPSTREAM_PASSWORD";
const WRONG_PASSWORD_ENV = "RM_TEST_UPSTREAM_WRONG_PASSWORD";
const UNSET_ENV = "RM_TEST_UPSTREAM_PASSWORD_NEVER_SET";

// Everything this process prints, node-opcua's warnings and errors included, to prove no password leaks there.
const printed: string[] = [];
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    printed.push(String(chunk));
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

const security = (passwordEnv: string): SecurityConfig => ({ mode: "None", policy: "None", user: USER, passwordEnv, trustPolicy: "firstUse" });

/** A second pair on the fixture's sims, with its own identity settings, that records what it posts. */
function pairOnSims(fx: ProxyFixture, passwordEnv: string): { pair: Pair; events: PostedEvent[] } {
  const events: PostedEvent[] = [];
  const config = { ...pairConfig({ mode: "warm" }, [fx.primary.url, fx.secondary.url]), security: security(passwordEnv) };
  const pair = createPair(config, {
    postEvent: (e) => events.push({ id: e.side ? `${e.kind}.${e.side}` : e.kind, kind: e.kind, side: e.side, fields: e.fields, at: Date.now() }),
    onChanged: () => undefined,
  });
  return { pair, events };
}

const eventText = (e: PostedEvent) => formatEventText(e.kind, { ...e.fields, side: e.side });

// Ports 23500–23502 belong to this file.
describe("pair: upstream servers that require a user", () => {
  let fx: ProxyFixture;
  const texts: string[] = [];

  before(async () => {
    process.env[PASSWORD_ENV] = PASSWORD;
    process.env[WRONG_PASSWORD_ENV] = WRONG_PASSWORD;
    delete process.env[UNSET_ENV];
    fx = await ProxyFixture.start({
      mode: "warm",
      ports: [23500, 23501, 23502],
      simUsers: [
        { name: USER, password: PASSWORD },
        { name: VIEWER, password: VIEWER_PASSWORD, readOnly: true },
      ],
      config: { security: security(PASSWORD_ENV) },
    });
  });

  after(async () => {
    await fx?.close();
  });

  it("logs on to both sides as the configured user and serves their data through the endpoint", async () => {
    await until("both sides connected", () => fx.pair.snapshot().status === "Paired and Available");
    const client = await fx.connect({}, { type: UserTokenType.UserName, userName: USER, password: PASSWORD });
    const counter = `ns=${client.ns};s=Counter`;
    const first = await readValue(client.session, counter);
    assert.equal(first.statusCode.name, "Good");
    const { values } = await record(client.session, counter);
    await until("the Counter moving through the endpoint", () => values.length >= 3);
    assert.ok(
      values.every((v) => v.status === "Good"),
      JSON.stringify(values),
    );
    assert.ok(Number(values.at(-1)!.value) > Number(first.value.value), "values keep coming");
    // Both sides log on at their first attempt, the primary active.
    assert.deepEqual(fx.events.filter((e) => e.kind === "connectFailed").map(eventText), []);
    assert.deepEqual(fx.promotions(), ["promoted.primary"], fx.events.map(eventText).join("\n"));
    texts.push(...fx.events.map(eventText));
  });

  it("lets on to the endpoint only the users the active server accepts, and no anonymous client", async () => {
    await until("a side active", () => fx.pair.active !== null);
    await assert.rejects(fx.connect(), "anonymous: the engine's own upstream user is not lent to anyone");
    await assert.rejects(fx.connect({}, { type: UserTokenType.UserName, userName: USER, password: WRONG_PASSWORD }), "a password the server refuses");
    await assert.rejects(fx.connect({}, { type: UserTokenType.UserName, userName: "intruder", password: PASSWORD }), "a user the server does not know");
    const accepted = await fx.connect({}, { type: UserTokenType.UserName, userName: USER, password: PASSWORD });
    assert.equal((await readValue(accepted.session, `ns=${accepted.ns};s=Counter`)).statusCode.name, "Good");
  });

  it("writes as the client's own user, so the server's permissions apply, not the engine's", async () => {
    const tag = (ns: number) => ({ nodeId: `ns=${ns};s=${SimNodes.tag}`, attributeId: AttributeIds.Value });
    const write = (session: ClientSession, ns: number, value: number) => session.write({ ...tag(ns), value: { value: { dataType: DataType.Double, value } } });
    const operator = await fx.connect({}, { type: UserTokenType.UserName, userName: USER, password: PASSWORD });
    const viewer = await fx.connect({}, { type: UserTokenType.UserName, userName: VIEWER, password: VIEWER_PASSWORD });
    assert.equal((await write(operator.session, operator.ns, 41.5)).name, "Good");
    assert.equal((await write(viewer.session, viewer.ns, 99)).name, "BadUserAccessDenied", "the viewer may not write on the server");
    const direct = await fx.connectTo(fx.sim(fx.pair.active!).url, {}, { type: UserTokenType.UserName, userName: VIEWER, password: VIEWER_PASSWORD });
    assert.equal((await direct.session.read(tag(direct.ns))).value.value, 41.5, "the operator's value stands on the server");
    assert.equal((await viewer.session.read(tag(viewer.ns))).value.value, 41.5, "and the viewer still reads it through the endpoint");
  });

  it("with a wrong password, does not connect and says which user the servers refused", async () => {
    const { pair, events } = pairOnSims(fx, WRONG_PASSWORD_ENV);
    try {
      await pair.start();
      await until("both sides refused", () => ["primary", "secondary"].every((side) => events.some((e) => e.id === `connectFailed.${side}`)));
      // Retries go on and keep failing: the refusal is not a moment's trouble.
      await until("a retry", () => pair.connectionAttempts("primary") >= 2);
      texts.push(...events.map(eventText));
      const snapshot = pair.snapshot();
      assert.equal(snapshot.active, null);
      assert.equal(snapshot.status, "Pair not available");
      assert.equal(snapshot.primary.state, "Disconnected");
      assert.equal(snapshot.secondary.state, "Disconnected");
      assert.ok(!events.some((e) => e.kind === "connected"), events.map(eventText).join("\n"));
      const refused = events.find((e) => e.id === "connectFailed.primary")!;
      assert.match(eventText(refused), new RegExp(`refused user '${USER}' \\(BadUserAccessDenied\\): check the user name and the password in the environment variable ${WRONG_PASSWORD_ENV}`));
    } finally {
      await pair.stop();
    }
  });

  it("with its password variable unset, says so", async () => {
    const { pair, events } = pairOnSims(fx, UNSET_ENV);
    try {
      await pair.start();
      await until("the primary refused", () => events.some((e) => e.id === "connectFailed.primary"));
      texts.push(...events.map(eventText));
      const text = eventText(events.find((e) => e.id === "connectFailed.primary")!);
      assert.match(text, new RegExp(`refused user '${USER}'.*the environment variable ${UNSET_ENV} that holds its password is not set`));
    } finally {
      await pair.stop();
    }
  });

  it("never shows a password, in events or in anything printed", () => {
    assert.ok(texts.length >= 5, `the events were collected: ${texts.length}`);
    for (const password of [PASSWORD, WRONG_PASSWORD, VIEWER_PASSWORD]) {
      assert.ok(!texts.some((t) => t.includes(password)), "a password in an event text");
      assert.ok(!printed.some((t) => t.includes(password)), "a password in the printed output");
    }
  });
});
