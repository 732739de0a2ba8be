import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MonitorItemConfig } from "../../engine/src/config/model";
import { withPair, type PairHarness } from "../support/pairHarness";

const item = (name: string, trigger: MonitorItemConfig["trigger"], triggerData?: string, updateRateMs = 100): MonitorItemConfig => ({
  id: `ns=2;s=${name}`,
  trigger,
  updateRateMs,
  ...(triggerData !== undefined ? { triggerData } : {}),
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const itemOf = (h: PairHarness, side: "primary" | "secondary", name: string) => h.pair.snapshot()[side].items.find((i) => i.id === `ns=2;s=${name}`)!;

async function bothTested(h: PairHarness): Promise<void> {
  await h.run();
  await h.until("both sides tested", () => h.count("monitorTestPassed.primary") === 1 && h.count("monitorTestPassed.secondary") === 1);
  await h.activeIs("primary");
}

describe("pair: monitor items", () => {
  it("badQuality: a Bad status on the primary fails over; Good again fails back", async () => {
    await withPair({ mode: "warm", items: [item("Quality", "badQuality")], failureCount: 1 }, async (h) => {
      await bothTested(h);
      assert.equal(h.pair.snapshot().status, "Paired and Available");
      const badAt = Date.now();
      await h.primary.set("Quality", 1, "BadDeviceFailure");
      await h.activeIs("secondary", 5000);
      await h.firstValueFrom("secondary", badAt);
      assert.deepEqual(
        h.events.filter((e) => e.at >= badAt).map((e) => e.id),
        ["monitorTestFailed.primary", "promoted.secondary"],
      );
      const snapshot = h.pair.snapshot();
      assert.equal(snapshot.primary.state, "Stopped");
      assert.equal(snapshot.primary.monitorTest, "error");
      assert.equal(itemOf(h, "primary", "Quality").inError, true);
      assert.match(itemOf(h, "primary", "Quality").reason ?? "", /Bad/);
      assert.equal(itemOf(h, "secondary", "Quality").inError, false, "each side is judged on its own");

      const goodAt = Date.now();
      await h.primary.set("Quality", 2, "Good");
      await h.activeIs("primary", 5000);
      assert.deepEqual(
        h.events.filter((e) => e.at >= goodAt).map((e) => e.id),
        ["monitorTestPassed.primary", "promoted.primary"],
      );
    });
  });

  it("failure count 2: one item in error keeps the side; two fail it over (specificValue and noDataChange, adjusted)", async () => {
    // The Watchdog changes every 100 ms; sampled at 250 ms its window is 500 ms, so that a loaded
    // machine's stall does not put it in error while the test needs it healthy.
    const items = [item("Channel_1.Device_1._System._Error", "specificValue", "true"), item("Watchdog", "noDataChange", "150", 250), item("Array", "specificValue", "[4,5,6]")];
    await withPair({ mode: "hot", items, failureCount: 2 }, async (h) => {
      await bothTested(h);
      for (const side of ["primary", "secondary"] as const) {
        const adjusted = h.events.filter((e) => e.id === `monitorTriggerAdjusted.${side}`);
        assert.equal(adjusted.length, 1);
        assert.equal(adjusted[0].fields.value, 500, "raised to 2 × the update rate");
        assert.equal(adjusted[0].fields.item, "ns=2;s=Watchdog");
      }
      const oneAt = Date.now();
      await h.primary.set("Channel_1.Device_1._System._Error", true);
      await h.until("the item in error", () => itemOf(h, "primary", "Channel_1.Device_1._System._Error").inError);
      await sleep(1000);
      assert.equal(h.pair.active, "primary", "one item in error is below the failure count");
      assert.equal(h.count("monitorTestFailed.primary", oneAt), 0);

      const twoAt = Date.now();
      await h.primary.freeze("Watchdog", true);
      await h.activeIs("secondary", 5000);
      assert.match(itemOf(h, "primary", "Watchdog").reason ?? "", /no data change for 500 ms/);
      assert.deepEqual(
        h.events.filter((e) => e.at >= twoAt).map((e) => e.id),
        ["monitorTestFailed.primary", "promoted.secondary"],
      );

      await h.secondary.set("Array", [4, 5, 6]);
      await h.until("the array item in error on the secondary", () => itemOf(h, "secondary", "Array").inError);
      assert.equal(h.pair.active, "secondary", "one item in error on the secondary keeps it");

      const clearAt = Date.now();
      await h.primary.freeze("Watchdog", false);
      await h.primary.set("Channel_1.Device_1._System._Error", false);
      await h.activeIs("primary", 5000);
      assert.equal(h.count("monitorTestPassed.primary", clearAt), 1);
      await h.until("items cleared", () => !itemOf(h, "primary", "Watchdog").inError && !itemOf(h, "primary", "Channel_1.Device_1._System._Error").inError);
    });
  });

  it("items that cannot be added, and arrays against a scalar trigger, count as in error with their events once", async () => {
    const items = [item("NoSuchNode", "badQuality"), item("Array", "specificValue", "1")];
    await withPair({ mode: "warm", items, failureCount: 2 }, async (h) => {
      await h.run();
      await h.until("both sides failed their test", () => h.count("monitorTestFailed.primary") === 1 && h.count("monitorTestFailed.secondary") === 1);
      await sleep(1000);
      for (const side of ["primary", "secondary"] as const) {
        assert.equal(h.count(`monitorItemAddFailed.${side}`), 1);
        assert.equal(h.count(`monitorItemArrayData.${side}`), 1);
        assert.equal(h.events.find((e) => e.id === `monitorItemAddFailed.${side}`)!.fields.item, "ns=2;s=NoSuchNode");
        assert.equal(itemOf(h, side, "NoSuchNode").reason, "could not be added");
        assert.equal(itemOf(h, side, "Array").inError, true);
      }
      assert.equal(h.pair.active, "primary", "no better side to go to: the primary stays active");
      assert.equal(h.pair.snapshot().status, "Pair not available");
      assert.ok(h.valuesSince(Date.now() - 500).length > 0, "data still flows");
    });
  });
});
