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
  readonly onProgress: (line: string) => void;
}

/** What is measured: an app through its balancer, or straight to its first instance. */
export interface Target {
  readonly app: Architecture;
  readonly via: "balancer" | "direct";
}
