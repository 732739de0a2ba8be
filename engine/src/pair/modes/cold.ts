import type { ModePolicy } from "./failoverMode";
import { COLD_RULES } from "./coldRules";

/** Cold: one connection at a time (the state machine ping-pongs between the sides); the items are subscribed anew on the side promoted. */
export const COLD: ModePolicy = { mode: "cold", bothSidesConnected: false, rules: COLD_RULES };
