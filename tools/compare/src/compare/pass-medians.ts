// A journey's figures in one pass (with --store-rtt, at loopback and at the distance): its
// requests' median latency, and a use of a store as the servers' Server-Timing reported it, the
// median and the fastest (which a busy machine cannot make faster than the distance).
import type { Step } from "../journeys/steps";
import { percentile } from "../util";

export interface PassFigures {
  readonly p50Ms: number;
  /** None when the journey used no store. */
  readonly storeP50Ms: number | null;
  readonly storeMinMs: number | null;
}

export function passMedians(steps: readonly Step[]): PassFigures {
  const uses = steps.flatMap((step) => (step.stores ?? []).map((use) => use.ms));
  return {
    p50Ms: percentile(
      steps.map((step) => step.ms),
      50,
    ),
    storeP50Ms: uses.length > 0 ? percentile(uses, 50) : null,
    storeMinMs: uses.length > 0 ? Math.min(...uses) : null,
  };
}
