import type { DataValue } from "node-opcua";
import type { ConnectionMode } from "../../config/model";
import type { Side } from "../../events/catalog";
import type { ForwardedItemOptions } from "../pairRuntime";
import type { UpstreamSession } from "../../upstream/upstreamSession";

/** What the state machine needs to know of a mode: pure data. */
export interface ModePolicy {
  mode: ConnectionMode;
  /** Warm and hot keep sessions to both sides; cold one at a time. */
  bothSidesConnected: boolean;
}

/** One item the endpoint asked the pair to forward. */
export interface ForwardedItem {
  nodeId: string;
  options: ForwardedItemOptions;
  onValue(value: DataValue): void;
}

/**
 * How a mode moves data (c2mon's FailoverBase): which connected sides carry the forwarded items'
 * subscriptions, and what happens to the streams at a switch. The pair tells it which sides are
 * up and which one is active; it calls `onValue` with the active side's values only.
 */
export interface FailoverMode {
  readonly policy: ModePolicy;
  sideUp(side: Side, upstream: UpstreamSession): void;
  sideDown(side: Side): void;
  activate(side: Side | null): void;
  add(item: ForwardedItem): void;
  remove(item: ForwardedItem): void;
  close(): Promise<void>;
}
