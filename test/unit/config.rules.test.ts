import assert from "node:assert/strict";
import { describe as suite, it } from "node:test";
import { config, expectDiagnostics } from "../support/expectDiagnostics";

suite("validation rules", () => {
  it("accepts a minimal valid pair", () => {
    expectDiagnostics(config(""), []);
  });

  it("RM001 points at the broken spot and keeps the rest", () => {
    const ds = expectDiagnostics('<redundancyMaster version="1">\n<server name="S" port="1"\n</redundancyMaster>', ["RM001@0:1-17", "RM001@1:1-7", "RM001@2:0-1"]);
    assert.equal(ds[1].message, "not well-formed XML: <server> is not closed");
  });

  it("RM002 unknown attribute, unknown element, missing required attribute", () => {
    expectDiagnostics(config('<connection mod="hot"/>\n<monitor/>'), ["RM002@4:12-15", "RM002@5:1-8"]);
    expectDiagnostics('<redundancyMaster version="1"><server port="1"><primary url="opc.tcp://a"/><secondary url="opc.tcp://b"/></server></redundancyMaster>', ["RM002@0:31-37"]);
  });

  it("RM003 wrong enum, wrong integer, out of range", () => {
    const ds = expectDiagnostics(config('<connection mode="lukewarm" statusIntervalMs="fast" statusTimeoutMs="10"/>'), ["RM003@4:18-26", "RM003@4:46-50", "RM003@4:69-71"]);
    assert.equal(ds[0].message, "mode must be one of cold, warm, hot (got 'lukewarm')");
    assert.equal(ds[2].message, "statusTimeoutMs must be between 50 and 600000 (got 10)");
  });

  it("RM020 raises a short noDataChange period to 2 × update rate", () => {
    const ds = expectDiagnostics(config('<monitoring><item id="i=2258" updateRateMs="1000" trigger="noDataChange" triggerData="1500"/></monitoring>'), ["RM020@4:86-90"]);
    assert.equal(ds[0].data?.value, 2000);
  });

  it("RM040 says what is allowed", () => {
    const ds = expectDiagnostics(config("", '<diagnostics maxEvents="40000"/>'), ["RM040@6:24-29"]);
    assert.equal(ds[0].message, "maxEvents must be between 1000 and 30000 (got 40000)");
  });

  it("ranges of a multi-line element stay precise", () => {
    expectDiagnostics(config('<connection\n    mode="cold"\n    alwaysReconnectToPrimary="true"/>'), ["RM030@6:4-35"]);
  });
});
