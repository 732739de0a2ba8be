import { backoff, canServe, fitForFailback, promote, promoteFirstSide, otherSide, RECONNECT_BASE_MS } from "../pairStateMachine";
import type { ModeRules } from "./modeRules";

/** Warm and hot: a session to each side at all times; a lost or refused side is tried again on its own. */
export const BOTH_SIDES_RULES: ModeRules = {
  started({ connect }) {
    connect("primary", 0);
    connect("secondary", 0);
  },
  connected() {},
  connectFailed({ model, connect }, side) {
    connect(side, backoff(model[side].failures));
  },
  lost({ connect }, side) {
    connect(side, RECONNECT_BASE_MS);
  },
  forceFailover({ model, effects }, _from, to) {
    if (!canServe(model[to])) return false;
    model.failbackHeld = to === "secondary";
    promote(model, to, effects, "failoverForced");
    return true;
  },
  decide({ model, effects }) {
    const active = model.active;
    // The primary gets its first attempt before a secondary that answered first is promoted.
    if (active === null) return promoteFirstSide(model, effects, model.primary.attempted);
    const to = otherSide(active);
    if (!canServe(model[active])) {
      // The active side still serves (in error or shutting down): go only to a side known to be better.
      if (fitForFailback(model, model[to])) promote(model, to, effects);
      return;
    }
    if (model.alwaysReconnectToPrimary && !model.failbackHeld && !model.holdingFailback && active === "secondary" && fitForFailback(model, model.primary)) {
      promote(model, "primary", effects);
    }
  },
};
