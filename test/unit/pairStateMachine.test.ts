import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Side } from "../../engine/src/events/catalog";
import { COLD } from "../../engine/src/pair/modes/cold";
import type { ModePolicy } from "../../engine/src/pair/modes/failoverMode";
import { HOT } from "../../engine/src/pair/modes/hot";
import { WARM } from "../../engine/src/pair/modes/warm";
import { backoff, initialModel, pairStatus, sideState, transition, type PairEffect, type PairInput, type PairModel } from "../../engine/src/pair/pairStateMachine";

/** Drives the machine as pair.ts does, keeping every effect and the model after each input. */
class Machine {
  model: PairModel;
  effects: PairEffect[] = [];

  constructor(policy: ModePolicy, failback = true, monitorItems = false, failbackHoldDownMs = 0) {
    this.model = initialModel(policy, failback, monitorItems, failbackHoldDownMs);
  }

  send(...inputs: PairInput[]): PairEffect[] {
    const out: PairEffect[] = [];
    for (const input of inputs) {
      const t = transition(this.model, input);
      this.model = t.model;
      out.push(...t.effects);
    }
    this.effects.push(...out);
    return out;
  }

  /** The timers started (name and delay) among the effects. */
  timers(effects: PairEffect[]): Array<[string, number]> {
    return effects.flatMap((e) => (e.type === "startTimer" ? [[e.timer, e.delayMs] as [string, number]] : []));
  }

  posts(effects = this.effects): string[] {
    return effects.flatMap((e) => (e.type === "post" ? [`${e.kind}.${e.side}`] : []));
  }

  count(id: string): number {
    return this.posts().filter((p) => p === id).length;
  }

  connects(effects: PairEffect[]): Array<[Side, number]> {
    return effects.flatMap((e) => (e.type === "connect" ? [[e.side, e.delayMs] as [Side, number]] : []));
  }

  get active(): Side | null {
    return this.model.active;
  }
}

const connected = (side: Side): PairInput => ({ type: "connected", side });
const failed = (side: Side, detail = "refused"): PairInput => ({ type: "connectFailed", side, detail });
const lost = (side: Side, reason: "connectionLost" | "statusLost" = "connectionLost"): PairInput => ({ type: "lost", side, reason, detail: "connection lost" });
const status = (side: Side, running: boolean): PairInput => ({ type: "serverStatus", side, running });
const test = (side: Side, passed: boolean): PairInput => ({ type: "monitorTest", side, passed });
const elapsed = (timer: "failbackHoldDown" | "primaryProven"): PairInput => ({ type: "timerElapsed", timer });

/** A warm or hot pair with both sides up and the primary active. */
function paired(policy: ModePolicy = WARM, failback = true, monitorItems = false, failbackHoldDownMs = 0): Machine {
  const m = new Machine(policy, failback, monitorItems, failbackHoldDownMs);
  m.send({ type: "start" }, connected("primary"), connected("secondary"));
  m.effects = [];
  return m;
}

describe("pair state machine: start", () => {
  it("warm and hot connect both sides at once and promote the primary", () => {
    for (const policy of [WARM, HOT]) {
      const m = new Machine(policy);
      assert.deepEqual(m.connects(m.send({ type: "start" })), [
        ["primary", 0],
        ["secondary", 0],
      ]);
      m.send(connected("primary"));
      assert.equal(m.active, "primary");
      m.send(connected("secondary"));
      assert.deepEqual(m.posts(), ["connected.primary", "promoted.primary", "connected.secondary"]);
      assert.equal(pairStatus(m.model), "Paired and Available");
    }
  });

  it("gives the primary its first attempt before promoting a secondary that answered first", () => {
    const m = new Machine(WARM);
    m.send({ type: "start" }, connected("secondary"));
    assert.equal(m.active, null);
    m.send(failed("primary"));
    assert.equal(m.active, "secondary");
    assert.deepEqual(m.posts(), ["connected.secondary", "connectFailed.primary", "promoted.secondary"]);
    assert.equal(pairStatus(m.model), "Primary not available");
  });

  it("gives back the same model for an input that changes nothing, and a new one for one that does", () => {
    const m = new Machine(WARM);
    m.send({ type: "start" }, connected("primary"), connected("secondary"), status("primary", true), test("secondary", true));
    const before = m.model;
    assert.equal(transition(before, status("primary", true)).model, before, "a status poll of a running side: the pair tells no one");
    assert.equal(transition(before, test("secondary", true)).model, before, "a monitor test result already known");
    assert.notEqual(transition(before, status("secondary", false)).model, before, "a shutdown notice changes the model");
  });

  it("cold connects one side only, the primary first", () => {
    const m = new Machine(COLD);
    assert.deepEqual(m.connects(m.send({ type: "start" })), [["primary", 0]]);
    m.send(connected("primary"));
    assert.equal(m.active, "primary");
    assert.equal(sideState(m.model.secondary), "Disconnected");
    assert.equal(pairStatus(m.model), "Paired and Available");
  });

  it("ignores everything before start and after stop", () => {
    const m = new Machine(WARM);
    assert.deepEqual(m.send(connected("primary")), []);
    m.send({ type: "start" }, connected("primary"));
    const stop = m.send({ type: "stop" });
    assert.deepEqual(m.posts(stop), ["disconnected.primary"]);
    assert.ok(stop.some((e) => e.type === "activate" && e.side === null));
    assert.deepEqual(m.send(connected("secondary")), []);
    assert.equal(m.active, null);
  });
});

describe("pair state machine: failover and events only on transitions", () => {
  it("a lost primary fails over to the secondary and reconnects with backoff, posting connectionLost once", () => {
    const m = paired();
    const effects = m.send(lost("primary"));
    assert.equal(m.active, "secondary");
    assert.deepEqual(m.posts(effects), ["connectionLost.primary", "promoted.secondary"], "a crash of a connected session is a loss, not a failed connect");
    assert.deepEqual(m.connects(effects), [["primary", 250]]);
    const retries = m.send(failed("primary"), failed("primary"), failed("primary"), failed("primary"), failed("primary"), failed("primary"));
    assert.deepEqual(m.posts(retries), [], "retries are not news");
    assert.deepEqual(
      m.connects(retries).map(([, d]) => d),
      [250, 500, 1000, 2000, 4000, 4000],
    );
    m.send(connected("primary"));
    m.send(lost("primary"));
    assert.equal(m.count("connectionLost.primary"), 2, "connected → lost is a transition again");
    assert.equal(m.count("connectFailed.primary"), 0, "the failed reconnects of a lost side are retries, not news");
  });

  it("statusLost is posted once for a hung side and the side is reconnected", () => {
    const m = paired(HOT);
    const effects = m.send(lost("primary", "statusLost"));
    assert.deepEqual(m.posts(effects), ["statusLost.primary", "promoted.secondary"]);
    assert.ok(effects.some((e) => e.type === "disconnect" && e.side === "primary"));
    m.send(failed("primary", "timed out"), failed("primary", "timed out"));
    assert.deepEqual(m.posts(), ["statusLost.primary", "promoted.secondary"]);
  });

  it("the connectFailed of a first attempt is posted once, however often it is retried", () => {
    const m = new Machine(WARM);
    m.send({ type: "start" }, connected("primary"), failed("secondary"), failed("secondary"), failed("secondary"));
    assert.equal(m.count("connectFailed.secondary"), 1);
  });

  it("a shutdown notice fails over at once, and the loss that follows is not posted again", () => {
    const m = paired();
    const effects = m.send(status("primary", false));
    assert.deepEqual(m.posts(effects), ["shutdownReceived.primary", "promoted.secondary"]);
    assert.equal(sideState(m.model.primary), "Stopped");
    m.send(status("primary", false), lost("primary"), failed("primary"));
    assert.deepEqual(m.posts(), ["shutdownReceived.primary", "promoted.secondary"]);
  });

  it("a failed monitor test fails over, its events are posted on change only", () => {
    const m = paired(WARM, true, true);
    m.send(test("primary", true), test("secondary", true), test("primary", true));
    assert.deepEqual(m.posts(), ["monitorTestPassed.primary", "monitorTestPassed.secondary"]);
    m.send(test("primary", false), test("primary", false));
    assert.equal(m.active, "secondary");
    assert.deepEqual(m.posts().slice(2), ["monitorTestFailed.primary", "promoted.secondary"]);
    m.send(test("primary", true));
    assert.equal(m.count("monitorTestPassed.primary"), 2);
    assert.equal(m.active, "primary", "failback once the primary passes again");
  });

  it("a reconnect does not repeat the monitor result it had posted", () => {
    const m = paired(WARM, true, true);
    m.send(test("primary", true), lost("primary"), connected("primary"), test("primary", true));
    assert.equal(m.count("monitorTestPassed.primary"), 1);
  });

  it("leaves a failing side only for one whose test has passed", () => {
    const m = new Machine(WARM, true, true);
    m.send({ type: "start" }, connected("primary"), test("primary", false), connected("secondary"));
    assert.equal(m.active, "primary", "the secondary is not tested yet");
    m.send(test("secondary", true));
    assert.equal(m.active, "secondary");
  });

  it("stays on a failing side when the other is not usable either", () => {
    const m = paired(WARM, true, true);
    m.send(test("primary", true), test("secondary", false), test("primary", false));
    assert.equal(m.active, "primary");
    assert.equal(pairStatus(m.model), "Pair not available");
  });

  it("with both sides gone the pair has no active side, and the first to come back is promoted", () => {
    const m = paired();
    m.send(lost("primary"), lost("secondary"));
    assert.equal(m.active, null);
    assert.equal(pairStatus(m.model), "Recovering", "both sides' first reconnects are under way");
    m.send(failed("primary"), failed("secondary"));
    assert.equal(pairStatus(m.model), "Pair not available", "reconnecting without end is not recovering");
    m.send(connected("secondary"));
    assert.equal(m.active, "secondary");
  });
});

describe("pair state machine: failback", () => {
  it("warm and hot fail back to the primary when alwaysReconnectToPrimary is on", () => {
    for (const policy of [WARM, HOT]) {
      const m = paired(policy, true);
      m.send(lost("primary"), connected("primary"));
      assert.equal(m.active, "primary");
      assert.deepEqual(m.posts(), ["connectionLost.primary", "promoted.secondary", "connected.primary", "promoted.primary"]);
    }
  });

  it("stays on the secondary when alwaysReconnectToPrimary is off", () => {
    const m = paired(WARM, false);
    m.send(lost("primary"), connected("primary"));
    assert.equal(m.active, "secondary");
    assert.equal(pairStatus(m.model), "Paired and Available");
  });

  it("with monitor items, fails back only once the primary's test has passed", () => {
    const m = paired(HOT, true, true);
    m.send(lost("primary"), connected("primary"));
    assert.equal(m.active, "secondary");
    assert.equal(pairStatus(m.model), "Recovering");
    m.send(test("primary", true));
    assert.equal(m.active, "primary");
  });

  it("cold ignores alwaysReconnectToPrimary", () => {
    const m = new Machine(COLD, true);
    m.send({ type: "start" }, connected("primary"), lost("primary"), connected("secondary"));
    assert.equal(m.active, "secondary");
    assert.deepEqual(
      m.connects(m.effects).map(([s]) => s),
      ["primary", "secondary"],
      "no attempt back to the primary",
    );
  });
});

describe("pair state machine: flap damping of failback", () => {
  const HOLD = 10_000;

  it("a primary that comes back once and stays is failed back to at once, as without damping; its probation then ends", () => {
    for (const policy of [WARM, HOT]) {
      const m = paired(policy, true, false, HOLD);
      const effects = m.send(lost("primary"), connected("primary"));
      assert.equal(m.active, "primary");
      assert.deepEqual(m.posts(), ["connectionLost.primary", "promoted.secondary", "connected.primary", "promoted.primary"]);
      assert.deepEqual(m.timers(effects), [["primaryProven", HOLD]], "on probation for failbackHoldDownMs");
      m.send(elapsed("primaryProven"));
      assert.equal(m.model.primaryProbation, false);
    }
  });

  it("a primary lost again on probation is held down, the hold-down doubling with each flap up to 16 ×", () => {
    const m = paired(HOT, true, false, HOLD);
    m.send(lost("primary"), connected("primary"));
    const held: number[] = [];
    for (let flap = 0; flap < 7; flap++) {
      m.send(lost("primary"));
      assert.equal(m.active, "secondary");
      const effects = m.send(connected("primary"));
      assert.equal(m.active, "secondary", `flap ${flap + 1}: held on the secondary`);
      const timer = m.timers(effects).find(([name]) => name === "failbackHoldDown");
      held.push(timer![1]);
      assert.deepEqual(
        m.posts(effects).filter((p) => p.startsWith("failbackHeldDown")),
        ["failbackHeldDown.primary"],
      );
    }
    assert.deepEqual(held, [10_000, 20_000, 40_000, 80_000, 160_000, 160_000, 160_000]);
    const detail = m.effects.filter((e) => e.type === "post" && e.kind === "failbackHeldDown").map((e) => (e as { detail?: string }).detail);
    assert.equal(detail.at(-1), "160 s");
    m.send(elapsed("failbackHoldDown"));
    assert.equal(m.active, "primary", "failed back once the hold-down is served");
  });

  it("a loss during the hold-down cancels its timers, so a late one cannot fail back early", () => {
    const m = paired(WARM, true, false, HOLD);
    m.send(lost("primary"), connected("primary"), lost("primary"), connected("primary"));
    const effects = m.send(lost("primary"));
    assert.deepEqual(
      effects
        .filter((e) => e.type === "cancelTimer")
        .map((e) => (e as { timer: string }).timer)
        .sort(),
      ["failbackHoldDown", "primaryProven"],
    );
  });

  it("a probation passed after the hold-down forgets the flapping: the next loss and return fail back at once", () => {
    const m = paired(WARM, true, false, HOLD);
    m.send(lost("primary"), connected("primary"), lost("primary"));
    const effects = m.send(connected("primary"));
    assert.deepEqual(m.timers(effects).sort(), [
      ["failbackHoldDown", HOLD],
      ["primaryProven", 2 * HOLD],
    ]);
    m.send(elapsed("failbackHoldDown"));
    assert.equal(m.active, "primary");
    m.send(elapsed("primaryProven"));
    m.send(lost("primary"), connected("primary"));
    assert.equal(m.active, "primary", "no hold-down: it stayed healthy through its probation");
  });

  it("with monitor items, a primary whose test fails again on probation flaps too, and health counts from the passed test", () => {
    const m = paired(HOT, true, true, HOLD);
    m.send(test("primary", true), test("secondary", true));
    m.send(test("primary", false));
    assert.equal(m.active, "secondary");
    m.send(test("primary", true));
    assert.equal(m.active, "primary", "first return: at once");
    m.send(test("primary", false), test("primary", true));
    assert.equal(m.active, "secondary", "back in error on probation: held down");
    assert.equal(m.count("failbackHeldDown.primary"), 1);
  });

  it("a held-down primary still takes over when the secondary is lost", () => {
    const m = paired(WARM, true, false, HOLD);
    m.send(lost("primary"), connected("primary"), lost("primary"), connected("primary"));
    assert.equal(m.active, "secondary");
    m.send(lost("secondary"));
    assert.equal(m.active, "primary");
  });

  it("0 turns damping off: every return fails back at once, and no timer is started", () => {
    const m = paired(WARM, true, false, 0);
    for (let i = 0; i < 5; i++) m.send(lost("primary"), connected("primary"));
    assert.equal(m.count("promoted.primary"), 5);
    assert.deepEqual(m.timers(m.effects), []);
  });
});

describe("pair state machine: cold ping-pong", () => {
  it("alternates between the sides with growing delays until one answers", () => {
    const m = new Machine(COLD);
    m.send({ type: "start" }, connected("primary"));
    const effects = m.send(lost("primary"), failed("secondary"), failed("primary"), failed("secondary"), failed("primary"), failed("secondary"));
    assert.deepEqual(m.connects(effects), [
      ["secondary", 0],
      ["primary", 0],
      ["secondary", 250],
      ["primary", 500],
      ["secondary", 1000],
      ["primary", 2000],
    ]);
    assert.deepEqual(m.posts(effects), ["connectionLost.primary", "connectFailed.secondary"]);
    m.send(connected("primary"));
    assert.equal(m.active, "primary");
    assert.deepEqual(m.connects(m.send(lost("primary"))), [["secondary", 0]], "the ping-pong starts afresh");
  });

  it("a degraded active side opens the other, switches, then drops the old one", () => {
    const m = new Machine(COLD, false, true);
    m.send({ type: "start" }, connected("primary"), test("primary", true));
    const opening = m.send(test("primary", false));
    assert.deepEqual(m.connects(opening), [["secondary", 0]]);
    m.send(connected("secondary"));
    assert.equal(m.active, "primary", "the new side's own test comes first");
    const switching = m.send(test("secondary", true));
    assert.equal(m.active, "secondary");
    assert.ok(switching.some((e) => e.type === "disconnect" && e.side === "primary"));
    assert.ok(m.posts(switching).includes("disconnected.primary"));
  });

  it("a forced switch connects the other side first and keeps the active one if that fails", () => {
    const m = new Machine(COLD);
    m.send({ type: "start" }, connected("primary"));
    assert.deepEqual(m.connects(m.send({ type: "forceFailover" })), [["secondary", 0]]);
    m.send(failed("secondary"));
    assert.equal(m.active, "primary");
    const switching = m.send({ type: "forceFailover" }, connected("secondary"));
    assert.equal(m.active, "secondary");
    assert.equal(m.model.primary.link, "idle");
    assert.ok(m.posts(switching).includes("failoverForced.secondary"), "an operator's switch, not a failure's promotion");
    assert.ok(!m.posts(switching).includes("promoted.secondary"));
  });
});

describe("pair state machine: Recovering, as DESIGN.md defines it", () => {
  it("while a lost side's first reconnect is under way, then not available once it failed", () => {
    for (const policy of [WARM, HOT]) {
      const m = paired(policy);
      m.send(lost("primary"));
      assert.equal(m.active, "secondary");
      assert.equal(pairStatus(m.model), "Recovering", "the primary is reconnecting");
      m.send(failed("primary"));
      assert.equal(pairStatus(m.model), "Primary not available");
      m.send(failed("primary"), failed("primary"));
      assert.equal(pairStatus(m.model), "Primary not available", "retrying without end is not recovering");
      m.send(connected("primary"));
      assert.equal(pairStatus(m.model), "Paired and Available", "back, and promoted back at once without monitor items");
    }
  });

  it("a hung side (status lost) is Recovering while its reconnect waits, then not available", () => {
    const m = paired(HOT);
    m.send(lost("secondary", "statusLost"));
    assert.equal(pairStatus(m.model), "Recovering");
    m.send(failed("secondary", "timed out"));
    assert.equal(pairStatus(m.model), "Secondary not available");
  });

  it("while a reconnected primary is being promoted back: its monitor test pending", () => {
    const m = paired(WARM, true, true);
    m.send(test("primary", true), test("secondary", true), lost("primary"), failed("primary"));
    assert.equal(pairStatus(m.model), "Primary not available");
    m.send(connected("primary"));
    assert.equal(m.active, "secondary");
    assert.equal(pairStatus(m.model), "Recovering");
    m.send(test("primary", true));
    assert.equal(m.active, "primary");
    assert.equal(pairStatus(m.model), "Paired and Available");
  });

  it("a side that never connected is not recovering, nor a stopped pair", () => {
    const m = new Machine(WARM);
    m.send({ type: "start" }, connected("primary"), failed("secondary"));
    assert.equal(pairStatus(m.model), "Secondary not available");
    m.send(lost("primary"), { type: "stop" });
    assert.equal(pairStatus(m.model), "Pair not available");
  });
});

describe("pair state machine: forced failover", () => {
  it("switches to a usable other side and holds failback until the primary reconnects", () => {
    const m = paired(WARM, true);
    const effects = m.send({ type: "forceFailover" });
    assert.equal(m.active, "secondary");
    assert.deepEqual(m.posts(effects), ["failoverForced.secondary"], "an operator's switch, not a failure's promotion");
    m.send(status("primary", true));
    assert.equal(m.active, "secondary", "no instant failback after an operator's switch");
    m.send({ type: "forceFailover" });
    assert.equal(m.active, "primary");
  });

  it("does nothing when the other side is not usable", () => {
    const m = paired(HOT);
    m.send(lost("secondary"));
    m.effects = [];
    assert.deepEqual(m.send({ type: "forceFailover" }), []);
    assert.equal(m.active, "primary");
  });
});

describe("backoff", () => {
  it("grows from 250 ms to a 4 s ceiling", () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 9].map(backoff), [250, 250, 500, 1000, 2000, 4000, 4000]);
  });
});
