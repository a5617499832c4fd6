// From runs to a report: per target the median of the repetitions with their min and max (noise
// made visible), and the headline ratios between the two stacks, measured in the same run. A
// headline ratio is taken repetition by repetition, between its two targets' runs, which ran one
// right after the other (bench.ts), so that what the machine does over a minute falls on both
// sides of it; then its median, and an interval around that median with the confidence it holds.
import { availableParallelism } from "node:os";
import { round } from "../util";
import { ARCHITECTURES, type Architecture } from "../vocabulary";
import type { CheckoutProbe } from "./checkout-probe";
import type { CorePlan } from "./core-plan";
import type { LoadOutcome } from "./load-worker";
import type { AppProfile } from "./profile-app";
import { BOUND_OF, type BenchApp, type BenchOptions, type Target, type Via } from "./settings";

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
  readonly settings: Omit<BenchOptions, "onProgress"> & {
    readonly node: string;
    readonly cores: number;
    /** Where the load generator ran, and the rest; null when they shared every CPU. */
    readonly corePlan: CorePlan | null;
  };
  readonly targets: TargetSummary[];
  readonly ratios: {
    /** Requests per second through the balancers, stateless over stateful: the median of each repetition's. */
    readonly statelessToStatefulThroughput: number;
    readonly statelessToStatefulP99: number;
    /** Each app's requests per second over its bound's, both direct to one process: the median of each repetition's. */
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
  /** The headline ratios, repetition by repetition, with the interval of their median. */
  readonly headline: Record<HeadlineRatio, RatioSpread>;
  /** What the run cannot conclude, in words (a headline ratio's interval wider than ±5%). */
  readonly warnings: string[];
  /** p50 in ms of one request at a time, through the balancer and direct. */
  readonly probes: Record<Architecture, Record<Via, number>>;
  /** Checkouts one at a time, straight to one instance of each app. */
  readonly checkouts: Record<Architecture, CheckoutProbe>;
  /** `pnpm bench --profile`: where one instance of each app spent its CPU under the mix. */
  readonly profiles?: Record<Architecture, AppProfile>;
  readonly runs: TargetRun[];
}

export type HeadlineRatio = "statelessToStatefulThroughput" | "statefulToBound" | "statelessToBound";

/** A ratio over the repetitions: their median, and the interval that holds the true median with `confidence`. */
export interface RatioSpread {
  readonly perRepetition: number[];
  readonly median: number;
  readonly low: number;
  readonly high: number;
  /** 0.94 for 5 repetitions, 0.98 for 7, 0.96 for 9 (order statistics, no assumption about the noise). */
  readonly confidence: number;
}

/** The widest a headline ratio's interval may be, either side of its median, for the run to tell a 5% difference. */
export const CONCLUSIVE_WITHIN = 0.05;

export function summarise(
  runs: TargetRun[],
  { probes, checkouts }: Pick<BenchReport, "probes" | "checkouts">,
  profiles: Record<Architecture, AppProfile> | undefined,
  { cores, ...options }: BenchOptions & { readonly cores: CorePlan | undefined },
): BenchReport {
  // Each app through its balancer and straight, then the bounds (they ran in pairs, in turns).
  const order = (run: TargetRun) =>
    [...ARCHITECTURES, ...Object.values(BOUND_OF)].indexOf(run.app) * 2 + (run.via === "balancer" ? 0 : 1);
  const measured = [...new Map(runs.map((run) => [`${run.app} ${run.via}`, run])).values()].sort(
    (a, b) => order(a) - order(b),
  );
  const targets = measured.map(({ app, via }) =>
    summariseTarget(
      app,
      via,
      runs.filter((r) => r.app === app && r.via === via),
    ),
  );
  const find = (app: BenchApp, via: Via) => targets.find((t) => t.app === app && t.via === via)!;
  const paired = (a: BenchApp, b: BenchApp, via: Via) => pairedRatio(runs, { app: a, via }, { app: b, via });
  const headline: Record<HeadlineRatio, RatioSpread> = {
    statelessToStatefulThroughput: paired("stateless", "stateful", "balancer"),
    statefulToBound: paired("stateful", BOUND_OF.stateful, "direct"),
    statelessToBound: paired("stateless", BOUND_OF.stateless, "direct"),
  };
  const directRatio = (app: BenchApp, to: BenchApp) =>
    ratio(find(app, "direct").requestsPerSecond.median, find(to, "direct").requestsPerSecond.median);
  const overhead = (app: Architecture) => round(probes[app].balancer - probes[app].direct);
  return {
    settings: {
      ...withoutCallbacks(options),
      node: process.version,
      cores: availableParallelism(),
      corePlan: cores ?? null,
    },
    targets,
    ratios: {
      statelessToStatefulThroughput: headline.statelessToStatefulThroughput.median,
      statelessToStatefulP99: ratio(
        find("stateless", "balancer").p99Ms.median,
        find("stateful", "balancer").p99Ms.median,
      ),
      statefulToBound: headline.statefulToBound.median,
      statelessToBound: headline.statelessToBound.median,
      boundWithRedisToBound: directRatio(BOUND_OF.stateless, BOUND_OF.stateful),
      balancerOverheadP50Ms: { stateful: overhead("stateful"), stateless: overhead("stateless") },
      maxMinRequestsPerInstance: {
        stateful: find("stateful", "balancer").maxMinRequestsPerInstance,
        stateless: find("stateless", "balancer").maxMinRequestsPerInstance,
      },
      statelessToStatefulCheckoutP50: ratio(checkouts.stateless.p50Ms, checkouts.stateful.p50Ms),
    },
    headline,
    warnings: inconclusive(headline),
    probes,
    checkouts,
    ...(profiles && { profiles }),
    runs,
  };
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 100) / 100);

/** Throughput of `a` over `b` in each repetition (both ran in it, one after the other). */
export function pairedRatio(runs: readonly TargetRun[], a: Target, b: Target): RatioSpread {
  const of = ({ app, via }: Target, repetition: number) =>
    runs.find((run) => run.app === app && run.via === via && run.repetition === repetition)?.requestsPerSecond;
  const repetitions = [...new Set(runs.map((run) => run.repetition))].sort((x, y) => x - y);
  const perRepetition = repetitions.flatMap((n) => {
    const [top, bottom] = [of(a, n), of(b, n)];
    return top === undefined || bottom === undefined ? [] : [ratio(top, bottom)];
  });
  return { perRepetition, ...medianInterval(perRepetition) };
}

/**
 * The median of `values`, and the k-th smallest and k-th largest as an interval that holds the true
 * median with at least 90% confidence where the count allows (a binomial count of how many values
 * fall below it; no assumption about the shape of the noise), the widest such k; with fewer than 5
 * values, the smallest and largest, and their lower confidence.
 */
export function medianInterval(values: readonly number[]): Omit<RatioSpread, "perRepetition"> {
  const sorted = [...values].sort((x, y) => x - y);
  const n = sorted.length;
  if (n === 0) return { median: 0, low: 0, high: 0, confidence: 0 };
  // P(fewer than k of n values fall below the median), each half the time.
  const below = (k: number) => {
    let sum = 0;
    for (let i = 0, choose = 1; i < k; i++, choose = (choose * (n - i + 1)) / i) sum += choose;
    return sum / 2 ** n;
  };
  let k = 1;
  while (k + 1 <= Math.ceil(n / 2) && 1 - 2 * below(k + 1) >= 0.9) k++;
  return {
    median: medianOf(sorted),
    low: sorted[k - 1]!,
    high: sorted[n - k]!,
    confidence: Math.round((1 - 2 * below(k)) * 100) / 100,
  };
}

/** A line for each headline ratio whose interval reaches past ±5% of its median. */
function inconclusive(headline: Record<HeadlineRatio, RatioSpread>): string[] {
  return Object.entries(headline).flatMap(([name, { median, low, high, confidence }]) => {
    const widest = Math.max(median - low, high - median) / median;
    if (!(widest > CONCLUSIVE_WITHIN)) return [];
    return [
      `${name} ${median} [${low}–${high}] (${Math.round(confidence * 100)}% confidence): the interval reaches ` +
        `${Math.round(widest * 100)}% from the median, too wide to tell a ${CONCLUSIVE_WITHIN * 100}% difference; ` +
        "run longer (--duration) or more often (--repetitions)",
    ];
  });
}

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

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: medianOf(sorted), min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
}

/** The middle of `sorted` (the mean of the two middle values for an even count), rounded; 0 for none. */
function medianOf(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  return round(n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2);
}

function withoutCallbacks({ onProgress: _onProgress, ...settings }: BenchOptions): Omit<BenchOptions, "onProgress"> {
  return settings;
}
