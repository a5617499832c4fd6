// What a bench run is asked to do, and what it measures: read by the run (bench.ts) and by its
// summary (summary.ts), so that neither imports the other.
import type { Architecture, BalancerKind } from "../vocabulary";

export interface BenchOptions {
  readonly seconds: number;
  readonly warmUpSeconds: number;
  readonly repetitions: number;
  readonly connections: number;
  readonly users: number;
  readonly instances: number;
  readonly lb: BalancerKind;
  /** The load generator on a core of its own, the rest on the others, where taskset can (core-plan.ts). */
  readonly loadApart: boolean;
  /** Where to write a CPU profile of one instance of each app under the mix; none when undefined. */
  readonly profileDir?: string;
  readonly onProgress: (line: string) => void;
}

/**
 * Each app's yardstick (bound-server.ts): minimal Express 5 serving the same mix with the same
 * kind of state, in memory for the stateful app and with its Redis round trips for the stateless.
 */
export const BOUND_OF = { stateful: "express", stateless: "express+redis" } as const satisfies Record<
  Architecture,
  string
>;
export type Bound = (typeof BOUND_OF)[Architecture];

/** What the bench drives: the two apps and their bounds. */
export type BenchApp = Architecture | Bound;

export type Via = "balancer" | "direct";

/** What is measured: an app through its balancer, or straight to its first instance (bounds: their one). */
export interface Target {
  readonly app: BenchApp;
  readonly via: Via;
}
