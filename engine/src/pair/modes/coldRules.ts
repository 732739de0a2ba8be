import type { Side } from "../../events/catalog";
import { backoff, canServe, fitForFailback, promote, promoteFirstSide, otherSide } from "../pairStateMachine";
import type { ModeRules, Step } from "./modeRules";

/**
 * Cold: one connection at a time. At start and after a loss the sides are tried in turn (a
 * ping-pong) until one answers; a switch first connects the other side and drops the old one once
 * the new one serves. It never fails back on its own.
 */
export const COLD_RULES: ModeRules = {
  started({ connect }) {
    connect("primary", 0);
  },
  connected({ model, effects, post }, side) {
    model.pingPongFailures = 0;
    const rival = model[otherSide(side)];
    if (model.active === null && (rival.link === "waiting" || rival.link === "connecting")) {
      // The ping-pong found a side: the other's pending attempt is no longer wanted.
      effects.push({ type: "disconnect", side: otherSide(side) });
      rival.link = "idle";
    }
    if (model.active && model.active !== side && !model.switchWanted) {
      // The switch it was opened for is no longer wanted: one connection at a time.
      effects.push({ type: "disconnect", side });
      post("disconnected", side);
      model[side].link = "idle";
    }
  },
  connectFailed({ model, connect }, side) {
    if (model.active === null) {
      model.pingPongFailures += 1;
      connect(otherSide(side), model.pingPongFailures <= 1 ? 0 : backoff(model.pingPongFailures - 1));
    } else if (model.switchWanted === "degraded") {
      connect(side, backoff(model[side].failures));
    } else {
      model[side].link = "idle";
      model.switchWanted = null;
    }
  },
  lost({ model, connect }, side, wasActive) {
    if (!wasActive) return;
    model.switchWanted = null;
    const target = otherSide(side);
    if (model[target].link === "idle") connect(target, 0);
  },
  forceFailover({ model, connect }, _from, to) {
    if (model[to].link === "idle") {
      model.switchWanted = "forced";
      connect(to, 0);
    }
    return true;
  },
  decide(step: Step) {
    const { model, effects, connect } = step;
    const active = model.active;
    if (active === null) return promoteFirstSide(model, effects, true);
    const to = otherSide(active);
    if (!canServe(model[active])) {
      // The active side still serves (in error or shutting down): go only to a side known to be better, or connect it.
      if (fitForFailback(model, model[to])) {
        promote(model, to, effects);
        drop(step, active);
      } else if (model[to].link === "idle") {
        model.switchWanted = "degraded";
        connect(to, 0);
      }
      return;
    }
    if (model.switchWanted === "degraded") model.switchWanted = null;
    if (model.switchWanted === "forced" && canServe(model[to])) {
      promote(model, to, effects, "failoverForced");
      drop(step, active);
    }
  },
};

/** The side a switch left: its connection closed, as cold mode keeps one. */
function drop({ model, effects, post }: Step, side: Side): void {
  model.switchWanted = null;
  if (model[side].link === "connected") post("disconnected", side);
  effects.push({ type: "disconnect", side });
  model[side].link = "idle";
}
