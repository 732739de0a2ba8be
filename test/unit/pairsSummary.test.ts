import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { summarizePairs } from "../../client/src/pairsSummary";
import type { PairSnapshot, SideState } from "../../engine/src/control/protocol";

function pair(name: string, active: PairSnapshot["active"], primary: SideState, secondary: SideState, status: PairSnapshot["status"], enabled = true): PairSnapshot {
  const side = (s: "primary" | "secondary", state: SideState) => ({ side: s, host: s, url: `opc.tcp://${s}:4840`, state, monitorTest: "unknown" as const, items: [] });
  return { name, configName: name, enabled, mode: "warm", port: 4840, active, status, primary: side("primary", primary), secondary: side("secondary", secondary) };
}

describe("the status bar's summary of the pairs", () => {
  it("after the primary was killed: both pairs still serve, neither has a standby (issue 15's case), and that is no outage", () => {
    const failedOver = pair("Line4", "secondary", "Disconnected", "Running", "Primary not available");
    const standbyLost = pair("Line5", "primary", "Running", "Disconnected", "Secondary not available");
    assert.deepEqual(summarizePairs([failedOver, standbyLost]).text, "2 pairs serving · 2 without standby");
    assert.equal(summarizePairs([failedOver, standbyLost]).level, "degraded");
  });

  it("is an outage only when a pair serves nothing", () => {
    const dark = pair("Line4", null, "Disconnected", "Disconnected", "Pair not available");
    const fine = pair("Line5", "primary", "Running", "Running", "Paired and Available");
    const summary = summarizePairs([dark, fine, pair("Line6", null, "Disconnected", "Disconnected", "Disabled", false)]);
    assert.deepEqual([summary.text, summary.level], ["1 of 2 pairs serving · 1 disabled", "outage"]);
    assert.match(summary.tooltip, /^Line4: serves nothing \(Pair not available\)$/m);
  });

  it("says plainly when all is well, and when nothing is enabled", () => {
    assert.deepEqual(summarizePairs([pair("Line4", "primary", "Running", "Running", "Paired and Available")]), {
      text: "1 pair serving",
      level: "ok",
      tooltip: "Every enabled pair serves, with its standby",
    });
    assert.equal(summarizePairs([pair("Line4", null, "Disconnected", "Disconnected", "Disabled", false)]).text, "no pair enabled · 1 disabled");
  });
});
