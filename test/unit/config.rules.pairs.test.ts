import assert from "node:assert/strict";
import { describe as suite, it } from "node:test";
import { config, expectDiagnostics } from "../support/expectDiagnostics";

const PAIR = '<primary url="opc.tcp://a"/><secondary url="opc.tcp://b"/>';
const server = (attributes: string) => `<server ${attributes}>${PAIR}</server>`;

suite("RM010 alias characters", () => {
  it("underlines the raw alias and offers it without the forbidden characters", () => {
    const [d] = expectDiagnostics(config("").replace('name="S"', 'name="S" alias="A&amp;B&lt;"'), ["RM010@1:24-35"]);
    assert.equal(d.message, "alias 'A&B<' must not contain <, > or &");
    assert.deepEqual(d.data, { replacement: "AB" });
  });

  it("accepts other punctuation", () => {
    expectDiagnostics(config("").replace('name="S"', 'name="S" alias="Kep.V6-Alias_1 (line 4)"'), []);
  });
});

suite("RM011 unique effective names", () => {
  it("reports each later pair whose alias-else-name is taken, naming the first one's line", () => {
    const ds = expectDiagnostics(
      [
        '<redundancyMaster version="1">',
        server('name="S" port="1"'),
        server('name="S" port="2"'),
        server('name="X" alias="S" port="3"'),
        server('name="S" alias="T" port="4"'),
        "</redundancyMaster>",
      ].join("\n"),
      ["RM011@2:14-15", "RM011@3:24-25"],
    );
    assert.equal(ds[0].message, "the effective name 'S' is already used by the server on line 2; give one of them a distinct alias");
  });
});

suite("RM012 unique ports", () => {
  it("reports a port that another pair already listens on", () => {
    const [d] = expectDiagnostics(['<redundancyMaster version="1">', server('name="A" port="48401"'), server('name="B"\n  port=" 048401"'), "</redundancyMaster>"].join("\n"), ["RM012@3:8-15"]);
    assert.equal(d.message, "port 48401 is already used by the server on line 2");
  });
});

suite("RM013 metrics port", () => {
  const file = (metricsPort: string) =>
    ['<redundancyMaster version="1">', server('name="A" port="48401"'), server('name="B" port="48402"'), `<metrics port="${metricsPort}"/>`, "</redundancyMaster>"].join("\n");

  it("reports a metrics port that a pair's endpoint listens on, naming that pair's line", () => {
    const [d] = expectDiagnostics(file(" 048402"), ["RM013@3:15-22"]);
    assert.equal(d.severity, "error");
    assert.equal(d.message, "port 48402 is the endpoint port of the server on line 3");
  });

  it("is quiet for a port of its own, and without the element", () => {
    expectDiagnostics(file("9464"), []);
    expectDiagnostics(config(""), []);
  });
});

suite("RM030 cold mode and failback", () => {
  it("underlines the whole attribute, which the quick fix removes", () => {
    const [d] = expectDiagnostics(config('<connection mode="cold" alwaysReconnectToPrimary="true"/>'), ["RM030@4:24-55"]);
    assert.equal(d.severity, "warning");
    assert.match(d.message, /not supported in cold mode/);
  });

  it("is quiet in warm and hot mode, and in cold mode without failback", () => {
    expectDiagnostics(config('<connection mode="hot" alwaysReconnectToPrimary="true"/>'), []);
    expectDiagnostics(config('<connection mode="cold" alwaysReconnectToPrimary="false"/>'), []);
  });
});

suite("RM031 status timeout below interval", () => {
  it("points at the timeout when both are given", () => {
    const [d] = expectDiagnostics(config('<connection statusIntervalMs="1000" statusTimeoutMs="1000"/>'), ["RM031@4:53-57"]);
    assert.equal(d.message, "statusTimeoutMs (1000) should be below statusIntervalMs (1000)");
    assert.equal(d.severity, "warning");
  });

  it("compares with the default timeout (500) and points at the interval", () => {
    const [d] = expectDiagnostics(config('<connection statusIntervalMs="400"/>'), ["RM031@4:30-33"]);
    assert.equal(d.message, "statusTimeoutMs (500) should be below statusIntervalMs (400)");
  });
});

suite("RM070 same endpoint", () => {
  it("treats loopback names, host case and a trailing slash alike", () => {
    const xml = config("").replace("opc.tcp://a:4840", "opc.tcp://127.0.0.1:4840").replace("opc.tcp://b:4840", "opc.tcp://LOCALHOST:4840/");
    const [d] = expectDiagnostics(xml, ["RM070@3:16-41"]);
    assert.equal(d.message, "the secondary is the same endpoint as the primary (opc.tcp://127.0.0.1:4840): the pair has no redundancy");
    assert.equal(d.severity, "warning");
  });

  it("tells different ports apart", () => {
    expectDiagnostics(config("").replace("opc.tcp://b:4840", "opc.tcp://a:4841"), []);
  });
});

suite("RM071 unsecured anonymous access on a network address", () => {
  const listening = (attributes: string, body = "") => ['<redundancyMaster version="1">', `<server name="S" port="1" ${attributes}>${PAIR}${body}</server>`, "</redundancyMaster>"].join("\n");

  it("warns where the config lets anonymous clients in without security on an address other machines reach", () => {
    const [d] = expectDiagnostics(listening('listen="0.0.0.0" allowUnsecuredAnonymous="true"'), ["RM071@1:68-72"]);
    assert.equal(d.severity, "warning");
    assert.match(d.message, /listens on 0\.0\.0\.0, which other machines reach, and lets anonymous clients in with SecurityMode None/);
    expectDiagnostics(listening('listen="192.168.1.20" allowUnsecuredAnonymous="true"'), ["RM071@1:73-77"]);
  });

  it("is quiet on loopback, without the opt-in, and when <security> names a user (no anonymous access)", () => {
    expectDiagnostics(listening('listen="127.0.0.1" allowUnsecuredAnonymous="true"'), []);
    expectDiagnostics(listening('listen="::1" allowUnsecuredAnonymous="true"'), []);
    expectDiagnostics(listening('listen="0.0.0.0"'), []);
    expectDiagnostics(listening('listen="0.0.0.0" allowUnsecuredAnonymous="true"', '<security user="u" passwordEnv="P"/>'), []);
  });

  it("a listen value that is no IP address is RM003's", () => {
    const [d] = expectDiagnostics(listening('listen="plant-host"'), ["RM003@1:34-44"]);
    assert.equal(d.message, "listen must be an IPv4 or IPv6 address such as 127.0.0.1 or 0.0.0.0 (got 'plant-host')");
  });
});

suite("trustPolicy", () => {
  it("takes firstUse or explicit", () => {
    expectDiagnostics(config('<security trustPolicy="explicit"/>'), []);
    expectDiagnostics(config('<security trustPolicy="firstUse"/>'), []);
    expectDiagnostics(config('<security trustPolicy="always"/>'), ["RM003@4:23-29"]);
  });
});
