import type { ModePolicy } from "./failoverMode";
import { BOTH_SIDES_RULES } from "./bothSidesRules";

/** Warm: sessions to both sides, the items subscribed on the active side only and created on the other at the switch. */
export const WARM: ModePolicy = { mode: "warm", bothSidesConnected: true, rules: BOTH_SIDES_RULES };
