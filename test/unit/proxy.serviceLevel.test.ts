import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PairSnapshot, SideSnapshot } from "../../engine/src/control/protocol";
import { serviceLevelOf } from "../../engine/src/proxy/serviceLevel";

const side = (s: "primary" | "secondary", state: SideSnapshot["state"], monitorTest: SideSnapshot["monitorTest"] = "passed"): SideSnapshot => ({
  side: s,
  host: s,
  url: `opc.tcp://${s}:4840`,
  state,
  monitorTest,
  items: [],
});

function snapshot(o: Partial<PairSnapshot>): PairSnapshot {
  return {
    name: "p",
    configName: "p",
    enabled: true,
    mode: "warm",
    port: 48401,
    active: "primary",
    status: "Paired and Available",
    primary: side("primary", "Running"),
    secondary: side("secondary", "Running"),
    ...o,
  };
}

describe("ServiceLevel of a pair", () => {
  it("is 255 with both sides healthy, whichever is active", () => {
    assert.equal(serviceLevelOf(snapshot({})), 255);
    assert.equal(serviceLevelOf(snapshot({ active: "secondary" })), 255);
  });

  it("is 200 with the active side healthy and the other down, failing its monitor test or not synced", () => {
    for (const s of [
      snapshot({ secondary: side("secondary", "Disconnected") }),
      snapshot({ secondary: side("secondary", "Running", "error") }),
      snapshot({ notSynced: { missingOnPrimary: ["nsu=x;s=a"], missingOnSecondary: [] } }),
      snapshot({ active: "secondary", primary: side("primary", "Stopped") }),
    ]) {
      assert.equal(serviceLevelOf(s), 200);
    }
  });

  it("is 100 when the active side itself fails its monitor test, whatever the other side's health", () => {
    assert.equal(serviceLevelOf(snapshot({ primary: side("primary", "Running", "error"), secondary: side("secondary", "Running", "error") })), 100);
    assert.equal(serviceLevelOf(snapshot({ primary: side("primary", "Running", "error") })), 100);
    assert.equal(serviceLevelOf(snapshot({ active: "secondary", secondary: side("secondary", "Running", "error"), primary: side("primary", "Disconnected") })), 100);
  });

  it("is 1 with no side active and 0 when the pair is disabled", () => {
    assert.equal(serviceLevelOf(snapshot({ active: null })), 1);
    assert.equal(serviceLevelOf(snapshot({ enabled: false })), 0);
  });
});
