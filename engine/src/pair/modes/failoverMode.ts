import type { DataValue } from "node-opcua";
import type { ConnectionMode } from "../../config/model";
import type { Side, SideEventKind } from "../../events/catalog";
import type { NodeIdentity } from "../../namespaces/namespaceIdentity";
import type { ForwardedItemOptions } from "../pairRuntime";
import type { UpstreamSession } from "../../upstream/upstreamSession";
import type { ModeRules } from "./modeRules";

/** What the state machine needs to know of a mode: pure data. */
export interface ModePolicy {
  mode: ConnectionMode;
  /** Warm and hot keep sessions to both sides; cold one at a time. */
  bothSidesConnected: boolean;
  /** What it connects and which side it makes active (coldRules.ts, bothSidesRules.ts). */
  rules: ModeRules;
}

/** One item the endpoint asked the pair to forward. */
export interface ForwardedItem {
  /** The node by namespace URI: each side's session numbers it in its own table. */
  node: NodeIdentity;
  options: ForwardedItemOptions;
  onValue(value: DataValue): void;
}

/** What a mode tells the pair. */
export interface ModeHooks {
  /** A per-side event (forwardedItemRefused). */
  post(kind: SideEventKind, side: Side, fields: Record<string, string | number>): void;
  /** The side's forwarding subscription was refused or fell silent: the side failed, as when its status poll fails. */
  sideFailed(side: Side, upstream: UpstreamSession, detail: string): void;
}

/**
 * How a mode moves data (c2mon's FailoverBase): which connected sides carry the forwarded items'
 * subscriptions, and what happens to the streams at a switch. The pair tells it which sides are
 * up and which one is active; it calls `onValue` with the active side's values only, and with a
 * Bad status of its own where the active side gives none: the status with which that side
 * refused the item, or BadNoCommunication while no side is active.
 */
export interface FailoverMode {
  readonly policy: ModePolicy;
  sideUp(side: Side, upstream: UpstreamSession): void;
  sideDown(side: Side): void;
  activate(side: Side | null): void;
  add(item: ForwardedItem): void;
  remove(item: ForwardedItem): void;
  close(): Promise<void>;
  /** Items the side's subscription carries now (metrics). */
  upstreamItems(side: Side): number;
  /** Values of an inactive side held for a replay at the switch (metrics). */
  heldValues(): number;
}
