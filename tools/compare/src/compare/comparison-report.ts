// What a comparison reports: every journey's result on every app, the set-up, latency per app,
// and whether reality matched the expectations.
import type { JourneyResult } from "../journeys/result";
import type { MeasuredDistance } from "../rig/store-distance";
import type { AppName, JourneyName } from "../vocabulary";

export interface Latency {
  readonly requests: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/** One lane of journeys run one after another (compare/lanes.ts), beside the others. */
export interface LaneTiming {
  /** Each journey's time on the lane, both apps side by side, its stacks' preparation included. */
  readonly journeys: readonly { readonly journey: JourneyName; readonly ms: number }[];
  /** From the lanes' start to this lane's end. */
  readonly ms: number;
}

/** A journey on an app as it ran with the stores on loopback, for its time beside the distance's. */
export interface LoopbackResult {
  readonly journey: JourneyName;
  readonly app: AppName;
  readonly outcome: JourneyResult["outcome"];
  readonly matched: boolean;
  readonly durationMs: number;
  /** The median of its requests' latency. */
  readonly p50Ms: number;
  /** The median time of a use of a store, as the servers' `Server-Timing` said; null when none was used. */
  readonly storeP50Ms: number | null;
  /** The fastest use of a store: at least the distance, whatever else the machine was doing; null when none. */
  readonly storeMinMs: number | null;
}

/**
 * With --store-rtt: the journeys run first with the same delay proxies at 0 ms, then at the
 * distance asked, on the same stacks; a verdict must hold at both.
 */
export interface LoopbackPass {
  /** Its wall time. */
  readonly ms: number;
  /** The proxies at 0 ms, as a Redis PING measured them before the pass. */
  readonly storeDistance: MeasuredDistance | undefined;
  readonly results: readonly LoopbackResult[];
}

export interface ComparisonReport {
  readonly durationMs: number;
  /** Before the lanes started: the private stores (none when the stacks were given by URL). */
  readonly setUpMs: number;
  /** The lanes, in the order they were laid out; the one that ended last held the run up. */
  readonly lanes: readonly LaneTiming[];
  /** Instances per app; null when the stacks were given by URL (the suite cannot know). */
  readonly instances: number | null;
  readonly lb: string;
  readonly redis: string;
  readonly postgres: string;
  /** The S3-compatible store the stateless stacks keep files in. */
  readonly objectStorage: string;
  /** With --store-rtt: how far each store was from the clusters, asked and measured. */
  readonly storeDistance?: MeasuredDistance;
  /** With --store-rtt: the same journeys at loopback, run first. */
  readonly atLoopback?: LoopbackPass;
  readonly results: JourneyResult[];
  readonly latency: Partial<Record<AppName, Latency>>;
  /** Every outcome matched its expectation (at loopback too, with --store-rtt). */
  readonly matched: boolean;
}
