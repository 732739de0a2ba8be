import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createPair } from "../../engine/src/pair/pair";
import { pairConfig } from "../support/pairHarness";

describe("pair: the endpoint's namespace comparison", () => {
  it("shows in the snapshot and posts pairNotSynced once per change", () => {
    const posted: string[] = [];
    const pair = createPair(pairConfig({ mode: "warm" }, ["opc.tcp://127.0.0.1:1", "opc.tcp://127.0.0.1:2"]), {
      postEvent: (e) => posted.push(`${e.kind}: ${e.fields.detail}`),
      onChanged: () => undefined,
    });
    const diff = { missingOnPrimary: ["ns=2;s=A"], missingOnSecondary: [] };
    pair.reportNotSynced(diff);
    pair.reportNotSynced({ ...diff });
    assert.deepEqual(posted, ["pairNotSynced: missing on the primary: ns=2;s=A"]);
    assert.deepEqual(pair.snapshot().notSynced, diff);
    pair.reportNotSynced(undefined);
    assert.equal(pair.snapshot().notSynced, undefined);
    assert.equal(posted.length, 1, "agreeing again is not an event of its own");
    assert.equal(pair.sideSession("primary"), undefined);
  });
});
