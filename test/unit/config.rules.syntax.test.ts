import assert from "node:assert/strict";
import { describe as suite, it } from "node:test";
import { config, expectDiagnostics } from "../support/expectDiagnostics";

const PAIR = '<primary url="opc.tcp://a"/><secondary url="opc.tcp://b"/>';

suite("RM001 well-formed XML", () => {
  it("reports a duplicate attribute at the tag", () => {
    const [d] = expectDiagnostics('<redundancyMaster version="1" version="1"/>', ["RM001@0:42-43"]);
    assert.equal(d.message, "not well-formed XML: duplicate attribute: version.");
    assert.equal(d.severity, "error");
  });

  it("reports a second root element", () => {
    const ds = expectDiagnostics('<redundancyMaster version="1"/>\n<redundancyMaster version="1"/>', ["RM001@1:0-1", "RM001@1:17-18"]);
    assert.equal(ds[0].message, "not well-formed XML: a document may have only one root element");
  });

  it("reports a half-typed start tag at the end of the file without inventing missing parts", () => {
    expectDiagnostics(`<redundancyMaster version="1">\n<server name="S" port="1">\n${PAIR}\n<connection mode="hot"`, ["RM001@0:1-17", "RM001@1:1-7", "RM001@3:21-22"]);
  });

  it("rejects a DOCTYPE and never expands its entities", () => {
    const ds = expectDiagnostics('<!DOCTYPE r [<!ENTITY a "aaaa">]>\n<redundancyMaster version="1"><notifications><header>&a;</header></notifications></redundancyMaster>', [
      "RM001@0:0-1",
      "RM001@1:53-56",
    ]);
    assert.match(ds[0].message, /DOCTYPE declarations are not supported/);
    assert.equal(ds[1].message, "not well-formed XML: undefined entity &a;: only &lt; &gt; &amp; &quot; &apos; and character references such as &#38; are allowed");
  });

  it("reports an empty document", () => {
    const [d] = expectDiagnostics("", ["RM001@0:0-0"]);
    assert.match(d.message, /root element/);
  });

  it("accepts a byte-order mark, an XML declaration and comments", () => {
    expectDiagnostics(`\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- pairs -->\n${config("<!-- none yet -->")}`, []);
  });
});

suite("positions", () => {
  it("are the same with CRLF line ends", () => {
    const xml = config('<connection\n    mode="cold"\n    alwaysReconnectToPrimary="true"/>');
    expectDiagnostics(xml.replace(/\n/g, "\r\n"), ["RM030@6:4-35"]);
  });

  it("count UTF-16 code units, as LSP does (an emoji is two)", () => {
    expectDiagnostics(config("").replace('name="S"', 'name="Plant 🏭" alias="x&lt;"'), ["RM010@1:31-36"]);
  });
});

suite("RM002 structure", () => {
  it("wants <redundancyMaster> as the root", () => {
    const [d] = expectDiagnostics('<config version="1"/>', ["RM002@0:1-7"]);
    assert.equal(d.message, "the root element must be <redundancyMaster> (got <config>)");
  });

  it("names the missing child element and what it is for", () => {
    const [d] = expectDiagnostics(`<redundancyMaster version="1">\n<server name="S" port="1">\n<secondary url="opc.tcp://b"/>\n</server>\n</redundancyMaster>`, ["RM002@1:1-7"]);
    assert.match(d.message, /^<server> needs a <primary> element: The preferred server/);
    assert.deepEqual(d.data, { kind: "missingElement", name: "primary" });
  });

  it("names a missing required attribute", () => {
    const [d] = expectDiagnostics(`<redundancyMaster version="1"><server name="S">${PAIR}</server></redundancyMaster>`, ["RM002@0:31-37"]);
    assert.match(d.message, /^<server> needs the attribute 'port': TCP port/);
    assert.deepEqual(d.data, { kind: "missingAttribute", name: "port" });
  });

  it("limits how often a child may occur", () => {
    const [d] = expectDiagnostics('<redundancyMaster version="1">\n<diagnostics/>\n<diagnostics/>\n</redundancyMaster>', ["RM002@2:1-12"]);
    assert.equal(d.message, "<redundancyMaster> may have at most 1 <diagnostics> element");
  });

  it("says where a known element is misplaced and offers the allowed ones", () => {
    const [d] = expectDiagnostics(config('<item id="i=1" trigger="badQuality"/>'), ["RM002@4:1-5"]);
    assert.equal(d.message, "<item> is not allowed in <server>; allowed: <primary>, <secondary>, <connection>, <security>, <monitoring>");
    assert.deepEqual(d.data, { kind: "unknownElement", name: "item", suggestions: ["primary", "secondary", "connection", "security", "monitoring"] });
  });

  it("suggests the known attributes for an unknown one in a multi-line element", () => {
    const [d] = expectDiagnostics(config('<connection\n  mode="hot"\n  colour="blue"/>'), ["RM002@6:2-8"]);
    assert.equal(d.message, "<connection> has no attribute 'colour'; known: mode, alwaysReconnectToPrimary, statusIntervalMs, statusTimeoutMs, failbackHoldDownMs");
    assert.deepEqual(d.data, { kind: "unknownAttribute", name: "colour", suggestions: ["mode", "alwaysReconnectToPrimary", "statusIntervalMs", "statusTimeoutMs", "failbackHoldDownMs"] });
  });

  it("reports text in an element that takes none", () => {
    const [d] = expectDiagnostics(config("\n  stray words\n"), ["RM002@5:2-13"]);
    assert.equal(d.message, "<server> takes no text, only attributes and child elements (got 'stray words')");
    assert.deepEqual(d.data, { kind: "unexpectedText" });
  });

  it("ignores namespace declarations", () => {
    expectDiagnostics(config("").replace('version="1"', 'version="1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="redundancymaster.xsd"'), []);
  });
});

suite("RM003 value types", () => {
  it("booleans", () => {
    const [d] = expectDiagnostics(config('<connection alwaysReconnectToPrimary="yes"/>'), ["RM003@4:38-41"]);
    assert.equal(d.message, "alwaysReconnectToPrimary must be true or false (got 'yes')");
  });

  it("OPC UA endpoint URLs", () => {
    const [d] = expectDiagnostics(config("").replace("opc.tcp://a:4840", "http://a:4840"), ["RM003@2:14-27"]);
    assert.equal(d.message, "url must be an OPC UA endpoint URL such as opc.tcp://host:4840 (got 'http://a:4840')");
  });

  it("non-empty strings, underlining the whole empty attribute", () => {
    const [d] = expectDiagnostics(`<redundancyMaster version="1"><server name="" port="1">${PAIR}</server></redundancyMaster>`, ["RM003@0:38-45"]);
    assert.equal(d.message, "name must not be empty");
  });

  it("integer ranges", () => {
    const [d] = expectDiagnostics(config("").replace('port="48401"', 'port="70000"'), ["RM003@1:23-28"]);
    assert.equal(d.message, "port must be between 1 and 65535 (got 70000)");
  });

  it("enums carry their values for a quick fix, and long lists are cut short in the message", () => {
    const [d] = expectDiagnostics(config('<monitoring><item id="i=1" dataType="Bool" trigger="badQuality"/></monitoring>'), ["RM003@4:37-41"]);
    assert.equal(d.message, "dataType must be one of Boolean, SByte, Byte, Int16, UInt16, Int32, UInt32, Int64, UInt64, Float, Double, String, … (got 'Bool')");
    assert.equal((d.data?.values as string[]).length, 21);
  });

  it("the format version", () => {
    const [d] = expectDiagnostics('<redundancyMaster version="2"/>', ["RM003@0:27-28"]);
    assert.equal(d.message, "version must be one of 1 (got '2')");
  });

  it("event ids of the runtime catalog", () => {
    const [d] = expectDiagnostics(config("", '<notifications><event id="promoted.tertiary"/></notifications>'), ["RM003@6:26-43"]);
    assert.match(d.message, /^id must be one of monitorItemAddFailed\.primary, .* \(got 'promoted\.tertiary'\)$/);
    assert.ok((d.data?.values as string[]).includes("promoted.secondary"));
  });

  it("a noDataChange period must be a number of milliseconds", () => {
    const [d] = expectDiagnostics(config('<monitoring><item id="i=1" trigger="noDataChange" triggerData="1 minute"/></monitoring>'), ["RM003@4:63-71"]);
    assert.equal(d.message, "triggerData of a noDataChange item must be a period in milliseconds (got '1 minute')");
  });

  it("reads a value across lines as XML does: line breaks and tabs become spaces, &#10; stays a line break", () => {
    const [d] = expectDiagnostics(config('<connection mode="warm\r\n\tx"/>'), ["RM003@4:18-5:2"]);
    assert.equal(d.message, "mode must be one of cold, warm, hot (got 'warm  x')");
    const [e] = expectDiagnostics(config('<connection mode="warm&#10;"/>'), ["RM003@4:18-27"]);
    assert.equal(e.message, "mode must be one of cold, warm, hot (got 'warm\\n')", "a message stays on one line");
  });

  it("quotes a huge value only in part", () => {
    const [d] = expectDiagnostics(config(`<connection mode="${"x".repeat(10_000)}"/>`), ["RM003@4:18-10018"]);
    assert.ok(d.message.length < 200, d.message.slice(0, 300));
  });
});
