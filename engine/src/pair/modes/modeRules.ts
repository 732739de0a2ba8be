import type { Side, SideEventKind } from "../../events/catalog";
import type { PairEffect, PairModel } from "../pairStateMachine";

/** One input's work in progress: the model being made, its effects, and the two effects every rule makes. */
export interface Step {
  model: PairModel;
  effects: PairEffect[];
  connect(side: Side, delayMs: number): void;
  post(kind: SideEventKind, side: Side, detail?: string): void;
}

/**
 * A mode's decisions (c2mon's FailoverBase): what it connects at start and after a failure, how
 * an operator's switch is made, and which side it makes active. The state machine keeps what
 * every mode shares (each side's link, failures and events, flap damping) and asks the mode the
 * rest, pure as the machine itself.
 */
export interface ModeRules {
  started(step: Step): void;
  /** After the side's link and its `connected` event. */
  connected(step: Step, side: Side): void;
  /** After the side's failure was counted (and posted, the first time). */
  connectFailed(step: Step, side: Side): void;
  /** After the side was dropped; `wasActive`: it was the active side, now none is. */
  lost(step: Step, side: Side, wasActive: boolean): void;
  /** An operator's switch from the active side; false when refused, and the pair decides as after any input. */
  forceFailover(step: Step, from: Side, to: Side): boolean;
  /** Which side should be active now, given every side's state. */
  decide(step: Step): void;
}
