import assert from "node:assert/strict";
import { describe as suite, it } from "node:test";
import { config, expectDiagnostics } from "../support/expectDiagnostics";

suite("RM040 maxEvents", () => {
  it("clamps a value below the range", () => {
    const [d] = expectDiagnostics(config("", '<diagnostics maxEvents="10"/>'), ["RM040@6:24-26"]);
    assert.equal(d.message, "maxEvents must be between 1000 and 30000 (got 10)");
    assert.deepEqual(d.data, { value: 1000 });
  });

  it("clamps a value above the range", () => {
    const [d] = expectDiagnostics(config("", '<diagnostics maxEvents="40000"/>'), ["RM040@6:24-29"]);
    assert.deepEqual(d.data, { value: 30000 });
  });

  it("accepts both ends of the range", () => {
    expectDiagnostics(config("", '<diagnostics maxEvents="1000"/>'), []);
    expectDiagnostics(config("", '<diagnostics maxEvents="30000"/>'), []);
  });

  it("leaves a value that is not a number to RM003", () => {
    const [d] = expectDiagnostics(config("", '<diagnostics maxEvents="many"/>'), ["RM003@6:24-28"]);
    assert.equal(d.message, "maxEvents must be a whole number (got 'many')");
  });
});

suite("RM050 complete notifications", () => {
  it("lists everything an enabled notification lacks", () => {
    const [d] = expectDiagnostics(config("", '<notifications enabled="true"/>'), ["RM050@6:24-28"]);
    assert.equal(d.message, 'notifications are enabled but lack a primary SMTP server (<smtp role="primary">), a sender (from) and a recipient (<to>)');
  });

  it("a secondary SMTP server alone is not enough", () => {
    const [d] = expectDiagnostics(config("", '<notifications enabled="true" from="a@b.c">\n<smtp role="secondary" host="h"/>\n<to>x@y.z</to>\n</notifications>'), ["RM050@6:24-28"]);
    assert.equal(d.message, 'notifications are enabled but lack a primary SMTP server (<smtp role="primary">)');
  });

  it("disabled notifications may be incomplete", () => {
    expectDiagnostics(config("", '<notifications enabled="false"/>'), []);
    expectDiagnostics(config("", "<notifications/>"), []);
  });
});

suite("RM051 e-mail addresses", () => {
  it("checks the sender and each recipient, trimming the text", () => {
    const ds = expectDiagnostics(config("", '<notifications from="bob">\n<to>  joe at home  </to>\n<to></to>\n<to>ops@localhost</to>\n</notifications>'), [
      "RM051@6:21-24",
      "RM051@7:6-17",
      "RM051@8:1-3",
    ]);
    assert.equal(ds[0].message, "from 'bob' is not an e-mail address such as alerts@example.com");
    assert.equal(ds[1].message, "recipient 'joe at home' is not an e-mail address such as ops@example.com");
    assert.equal(ds[2].message, "<to> is empty: give one e-mail address");
  });

  it("underlines a recipient written with entity references in its source form", () => {
    const [d] = expectDiagnostics(config("", "<notifications><to> x &amp; y </to></notifications>"), ["RM051@6:20-29"]);
    assert.equal(d.message, "recipient 'x & y' is not an e-mail address such as ops@example.com");
  });

  it("reads a recipient in CDATA", () => {
    expectDiagnostics(config("", "<notifications><to><![CDATA[ ops@example.com ]]></to></notifications>"), []);
  });
});
