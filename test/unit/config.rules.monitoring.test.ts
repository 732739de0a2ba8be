import assert from "node:assert/strict";
import { describe as suite, it } from "node:test";
import { config, expectDiagnostics } from "../support/expectDiagnostics";

const monitoring = (body: string, attributes = "") => config(`<monitoring${attributes}>${body}</monitoring>`);

suite("RM020 noDataChange period", () => {
  it("offers 2 × the default update rate when the period is short", () => {
    const [d] = expectDiagnostics(monitoring('<item id="i=1" trigger="noDataChange" triggerData="1999"/>'), ["RM020@4:63-67"]);
    assert.equal(d.message, "triggerData 1999 ms is below 2 × updateRateMs (2000 ms); the engine adjusts it to 2000 ms");
    assert.deepEqual(d.data, { value: 2000 });
    assert.equal(d.severity, "warning");
  });

  it("points at the trigger when the period is missing", () => {
    const [d] = expectDiagnostics(monitoring('<item id="i=1" updateRateMs="500" trigger="noDataChange"/>'), ["RM020@4:55-67"]);
    assert.equal(d.message, "a noDataChange item needs triggerData (ms); the engine uses 2 × updateRateMs = 1000 ms");
    assert.deepEqual(d.data, { value: 1000 });
  });

  it("accepts exactly 2 × the update rate, across lines", () => {
    expectDiagnostics(monitoring('\n<item id="i=1"\n  updateRateMs="250"\n  trigger="noDataChange"\n  triggerData="500"/>\n'), []);
  });
});

suite("RM021 specificValue data", () => {
  it("needs the value that puts the item in error", () => {
    const [d] = expectDiagnostics(monitoring('<item id="i=1" trigger="specificValue"/>'), ["RM021@4:36-49"]);
    assert.equal(d.message, "a specificValue item needs triggerData: the value that puts the item in error (JSON for arrays)");
  });

  it("accepts an empty string as the value", () => {
    expectDiagnostics(monitoring('<item id="i=1" trigger="specificValue" triggerData=""/>'), []);
  });
});

suite("RM022 failure count", () => {
  it("clamps a count above the number of items", () => {
    const [d] = expectDiagnostics(monitoring('<item id="i=1" trigger="badQuality"/><item id="i=2" trigger="badQuality"/>', ' failureCount="3"'), ["RM022@4:26-27"]);
    assert.equal(d.message, "failureCount must be between 1 and the number of monitor items, 2 (got 3)");
    assert.deepEqual(d.data, { value: 2 });
  });

  it("clamps zero to one, and reports it once", () => {
    const [d] = expectDiagnostics(monitoring('<item id="i=1" trigger="badQuality"/>', ' failureCount="0"'), ["RM022@4:26-27"]);
    assert.deepEqual(d.data, { value: 1 });
  });

  it("checks the lower bound even without items", () => {
    const [d] = expectDiagnostics(monitoring("", ' failureCount="-2"'), ["RM022@4:26-28"]);
    assert.equal(d.message, "failureCount must be at least 1 (got -2)");
    expectDiagnostics(monitoring("", ' failureCount="5"'), []);
  });
});

suite("RM023 badQuality data", () => {
  it("underlines the whole ignored attribute", () => {
    const [d] = expectDiagnostics(monitoring('<item id="i=1" trigger="badQuality" triggerData="x"/>'), ["RM023@4:48-63"]);
    assert.equal(d.message, "triggerData is ignored by the badQuality trigger");
    assert.equal(d.severity, "warning");
  });
});

suite("RM060 NodeId syntax", () => {
  it("reports each malformed id on its own line", () => {
    const ds = expectDiagnostics(monitoring('\n<item id="ns=2;x=Tag" trigger="badQuality"/>\n<item id="i=abc" trigger="badQuality"/>\n<item id="ns=70000;i=1" trigger="badQuality"/>\n'), [
      "RM060@5:10-20",
      "RM060@6:10-15",
      "RM060@7:10-22",
    ]);
    assert.equal(ds[0].message, "'ns=2;x=Tag' is not an OPC UA NodeId; write e.g. ns=2;s=Channel_1.Device_1.Tag_1, nsu=urn:plant;s=Tag_1 or i=2258");
  });

  it("accepts the four identifier kinds", () => {
    expectDiagnostics(
      monitoring(
        ["i=2258", "ns=2;s=Channel_1.Device_1.Tag_1", "ns=1;g=72962B91-FA75-4AE6-8D28-B404DC7DAF63", "ns=1;b=M/RbKBsRVkePCePcx24oRA=="].map((id) => `<item id="${id}" trigger="badQuality"/>`).join(""),
        ' failureCount="1"',
      ),
      [],
    );
  });

  it("accepts a namespace named by URI, and refuses that form without a URI or identifier", () => {
    expectDiagnostics(monitoring('<item id="nsu=urn:plant;s=Speed" trigger="badQuality"/><item id="nsu=http://vendor.example/UA/;i=17" trigger="badQuality"/>'), []);
    expectDiagnostics(monitoring('<item id="nsu=;s=Speed" trigger="badQuality"/><item id="nsu=urn:plant" trigger="badQuality"/>'), ["RM060@4:22-34", "RM060@4:68-81"]);
  });
});
