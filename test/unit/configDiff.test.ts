import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfigText } from "../../engine/src/config/loadConfig";
import { describeDiff, diffConfigs } from "../../engine/src/host/configDiff";

const pair = (name: string, port: number, extra = "", mode = "hot") => `
  <server name="${name}" port="${port}">
    <primary host="a" url="opc.tcp://127.0.0.1:${port + 1000}"/>
    <secondary host="b" url="opc.tcp://127.0.0.1:${port + 2000}"/>
    <connection mode="${mode}"/>${extra}
  </server>`;
const config = (body: string, diagnostics = "") => loadConfigText(`<redundancyMaster version="1">${body}${diagnostics}</redundancyMaster>`).config;

describe("config diff", () => {
  it("names added, removed, changed and unchanged pairs by effective name", () => {
    const before = config(pair("A", 22901) + pair("B", 22902) + pair("C", 22903));
    const after = config(pair("A", 22901) + pair("B", 22902, "", "warm") + pair("D", 22904));
    const diff = diffConfigs(before, after);
    assert.deepEqual(diff, { added: ["D"], removed: ["C"], changed: ["B"], unchanged: ["A"], diagnosticsChanged: false, notificationsChanged: false, metricsChanged: false });
    assert.equal(describeDiff(diff), "added 'D'; restarted 'B'; removed 'C'");
  });

  it("a changed pair kept on its old port until its new one is free is said to wait, not restarted", () => {
    const diff = diffConfigs(config(pair("A", 22901) + pair("B", 22902)), config(pair("A", 22911) + pair("B", 22902, "", "warm")));
    assert.equal(describeDiff(diff, ["A"]), "restarted 'B'; waiting for a free port: 'A'");
  });

  it("a monitor item change restarts that pair only", () => {
    const item = `<monitoring failureCount="1"><item id="ns=2;s=Counter" trigger="badQuality"/></monitoring>`;
    const diff = diffConfigs(config(pair("A", 22901) + pair("B", 22902)), config(pair("A", 22901) + pair("B", 22902, item)));
    assert.deepEqual([diff.changed, diff.unchanged], [["B"], ["A"]]);
  });

  it("an alias is the pair's identity: renaming the alias is a remove and an add", () => {
    const before = config(pair("A", 22901).replace('name="A"', 'name="A" alias="A1"'));
    const after = config(pair("A", 22901).replace('name="A"', 'name="A" alias="A2"'));
    assert.deepEqual([diffConfigs(before, after).removed, diffConfigs(before, after).added], [["A1"], ["A2"]]);
  });

  it("diagnostics settings change no pair", () => {
    const diff = diffConfigs(config(pair("A", 22901)), config(pair("A", 22901), `<diagnostics maxEvents="1000"/>`));
    assert.deepEqual([diff.changed, diff.diagnosticsChanged], [[], true]);
    assert.equal(describeDiff(diff), "diagnostics settings applied");
  });

  it("a metrics port set, moved or removed changes no pair", () => {
    const a = config(pair("A", 22901));
    const on = config(pair("A", 22901), `<metrics port="22990"/>`);
    const moved = config(pair("A", 22901), `<metrics port="22991"/>`);
    for (const [before, after] of [
      [a, on],
      [on, moved],
      [on, a],
    ]) {
      const diff = diffConfigs(before, after);
      assert.deepEqual([diff.changed, diff.metricsChanged], [[], true]);
      assert.equal(describeDiff(diff), "metrics settings applied");
    }
    assert.equal(describeDiff(diffConfigs(on, config(pair("A", 22901), `<metrics port="22990"/>`))), "nothing changed");
  });

  it("the same file again changes nothing", () => {
    const text = pair("A", 22901) + pair("B", 22902);
    assert.equal(describeDiff(diffConfigs(config(text), config(text))), "nothing changed");
  });
});
