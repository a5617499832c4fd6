// From runs to a report: per target the median of the repetitions with their min and max (noise
// made visible), and the headline ratios between the two stacks, measured in the same run.
import { availableParallelism } from "node:os";
import { round } from "../util";
import type { Architecture } from "../vocabulary";
import type { CheckoutProbe } from "./checkout-probe";
import type { LoadOutcome } from "./load-worker";
import type { AppProfile } from "./profile-app";
import { BOUND_OF, type BenchApp, type BenchOptions, type Via } from "./settings";

export interface TargetRun extends LoadOutcome {
  readonly app: BenchApp;
  readonly via: Via;
  readonly repetition: number;
  /** CPU used by the app's instances during the run, in cores (1 = one core busy throughout). */
  readonly appCpuCores: number;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface TargetSummary {
  readonly app: BenchApp;
  readonly via: Via;
  readonly requestsPerSecond: Spread;
  readonly p50Ms: Spread;
  readonly p95Ms: Spread;
  readonly p99Ms: Spread;
  readonly appCpuCores: Spread;
  readonly errors: number;
  /** Answers per instance over all repetitions, and the busiest over the idlest. */
  readonly servedBy: Record<string, number>;
  readonly maxMinRequestsPerInstance: number;
}

export interface BenchReport {
  /** How it was measured, and on what. */
  readonly settings: Omit<BenchOptions, "onProgress"> & { readonly node: string; readonly cores: number };
  readonly targets: TargetSummary[];
  readonly ratios: {
    /** Requests per second through the balancers: stateless over stateful (medians). */
    readonly statelessToStatefulThroughput: number;
    readonly statelessToStatefulP99: number;
    /** Each app's requests per second over its bound's, both direct to one process (medians). */
    readonly statefulToBound: number;
    readonly statelessToBound: number;
    /** The bounds' own ratio: what Redis round trips cost a minimal Express app. */
    readonly boundWithRedisToBound: number;
    /** p50 through the balancer minus p50 straight to the instance, one request at a time, in ms. */
    readonly balancerOverheadP50Ms: Record<Architecture, number>;
    readonly maxMinRequestsPerInstance: Record<Architecture, number>;
    /** A checkout's p50, one at a time straight to one instance: stateless over stateful. */
    readonly statelessToStatefulCheckoutP50: number;
  };
  /** p50 in ms of one request at a time, through the balancer and direct. */
  readonly probes: Record<Architecture, Record<Via, number>>;
  /** Checkouts one at a time, straight to one instance of each app. */
  readonly checkouts: Record<Architecture, CheckoutProbe>;
  /** `pnpm bench --profile`: where one instance of each app spent its CPU under the mix. */
  readonly profiles?: Record<Architecture, AppProfile>;
  readonly runs: TargetRun[];
}

export function summarise(
  runs: TargetRun[],
  { probes, checkouts }: Pick<BenchReport, "probes" | "checkouts">,
  profiles: Record<Architecture, AppProfile> | undefined,
  options: BenchOptions,
): BenchReport {
  // In the order they ran.
  const measured = [...new Map(runs.map((run) => [`${run.app} ${run.via}`, run])).values()];
  const targets = measured.map(({ app, via }) =>
    summariseTarget(
      app,
      via,
      runs.filter((r) => r.app === app && r.via === via),
    ),
  );
  const find = (app: BenchApp, via: Via) => targets.find((t) => t.app === app && t.via === via)!;
  const directRatio = (app: BenchApp, to: BenchApp) =>
    ratio(find(app, "direct").requestsPerSecond.median, find(to, "direct").requestsPerSecond.median);
  const overhead = (app: Architecture) => round(probes[app].balancer - probes[app].direct);
  return {
    settings: { ...withoutCallbacks(options), node: process.version, cores: availableParallelism() },
    targets,
    ratios: {
      statelessToStatefulThroughput: ratio(
        find("stateless", "balancer").requestsPerSecond.median,
        find("stateful", "balancer").requestsPerSecond.median,
      ),
      statelessToStatefulP99: ratio(
        find("stateless", "balancer").p99Ms.median,
        find("stateful", "balancer").p99Ms.median,
      ),
      statefulToBound: directRatio("stateful", BOUND_OF.stateful),
      statelessToBound: directRatio("stateless", BOUND_OF.stateless),
      boundWithRedisToBound: directRatio(BOUND_OF.stateless, BOUND_OF.stateful),
      balancerOverheadP50Ms: { stateful: overhead("stateful"), stateless: overhead("stateless") },
      maxMinRequestsPerInstance: {
        stateful: find("stateful", "balancer").maxMinRequestsPerInstance,
        stateless: find("stateless", "balancer").maxMinRequestsPerInstance,
      },
      statelessToStatefulCheckoutP50: ratio(checkouts.stateless.p50Ms, checkouts.stateful.p50Ms),
    },
    probes,
    checkouts,
    ...(profiles && { profiles }),
    runs,
  };
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 100) / 100);

function summariseTarget(app: BenchApp, via: Via, runs: TargetRun[]): TargetSummary {
  const servedBy: Record<string, number> = {};
  for (const run of runs) for (const [id, n] of Object.entries(run.servedBy)) servedBy[id] = (servedBy[id] ?? 0) + n;
  const shares = Object.values(servedBy);
  return {
    app,
    via,
    requestsPerSecond: spread(runs.map((r) => r.requestsPerSecond)),
    p50Ms: spread(runs.map((r) => r.p50Ms)),
    p95Ms: spread(runs.map((r) => r.p95Ms)),
    p99Ms: spread(runs.map((r) => r.p99Ms)),
    appCpuCores: spread(runs.map((r) => r.appCpuCores)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    servedBy,
    maxMinRequestsPerInstance: shares.length ? round(Math.max(...shares) / Math.max(1, Math.min(...shares))) : 0,
  };
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median: round(median), min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
}

function withoutCallbacks({ onProgress: _onProgress, ...settings }: BenchOptions): Omit<BenchOptions, "onProgress"> {
  return settings;
}
