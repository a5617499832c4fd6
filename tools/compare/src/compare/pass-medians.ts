// A journey's medians in one pass (with --store-rtt, at loopback and at the distance): its
// requests' latency, and a use of a store as the servers' Server-Timing reported it.
import type { Step } from "../journeys/steps";
import { percentile } from "../util";

/** A pass's medians of a journey: its requests' latency, and a store's use (none: null). */
export function passMedians(steps: readonly Step[]): { p50Ms: number; storeP50Ms: number | null } {
  const uses = steps.flatMap((step) => (step.stores ?? []).map((use) => use.ms));
  return {
    p50Ms: percentile(
      steps.map((step) => step.ms),
      50,
    ),
    storeP50Ms: uses.length > 0 ? percentile(uses, 50) : null,
  };
}
