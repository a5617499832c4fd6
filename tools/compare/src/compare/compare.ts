// The comparison: each journey against each app, both apps side by side, on the test bed or on
// stacks given by URL; then latency per app. On the test bed, journeys run in lanes side by side,
// each lane on its own private Redis and its own stacks (reused from journey to journey, repaired
// after faults). Callers get progress through `events`.
import { JOURNEYS } from "../journeys";
import type { Journey } from "../journeys/journey";
import { PairTimes } from "../journeys/pair-times";
import type { FaultMark, JourneyResult } from "../journeys/result";
import { runJourney, skippedJourney } from "../journeys/run-journey";
import type { Step } from "../journeys/steps";
import { StackPool } from "../rig/stack-pool";
import { TestBed, type BedStore, type ProcessOwner, type RedisKind } from "../rig/test-bed";
import { percentile } from "../util";
import { JUDGED_AS, type AppName, type BalancerKind, type JourneyName, type Outcome } from "../vocabulary";
import type { ComparisonReport, LaneTiming, Latency, LoopbackPass } from "./comparison-report";
import { LANES, lanesOf, runOrder } from "./lanes";
import { passMedians } from "./pass-medians";
import { localVenue, urlVenue } from "./venues";

export type ExpectationKey = `${JourneyName}:${AppName}`;

export interface CompareOptions {
  readonly journeys: readonly JourneyName[];
  /** The journeys the user asked for by name (--journey), rather than the default matrix's. */
  readonly named?: readonly JourneyName[];
  readonly apps: readonly AppName[];
  readonly instances: number;
  readonly lb: BalancerKind;
  /** Replaces a journey's declared expectation for one app. */
  readonly expect: Partial<Record<ExpectationKey, Outcome>>;
  /** The private Redis keeps an append-only file, so a restart loses nothing (Compose does the same). */
  readonly storePersistence: boolean;
  /** How long the chaos journey goes on. */
  readonly chaosSeconds: number;
  /** One redis-server (the default), or a primary, a replica and three Sentinels (store-failover's). */
  readonly redisKind?: RedisKind;
  /** The round trip between the stateless clusters and each store, through a delay proxy; loopback's without. */
  readonly storeRoundTripMs?: number;
  /**
   * Journeys run in lanes side by side (compare/lanes.ts), each lane on a private Redis and stacks
   * of its own. On unless false; one lane anyway when the stacks or the Redis are given.
   */
  readonly sideBySide?: boolean;
  /**
   * Running stacks to shop at instead of local clusters (the Compose stack, say), by the URL of
   * their balancer: every app in `apps` needs one. Nothing is started; fault journeys are skipped.
   */
  readonly urls?: Partial<Record<AppName, string>>;
}

export interface CompareEvents {
  onJourneyStart?(journey: JourneyName): void;
  onResult?(result: JourneyResult): void;
  onStep?(app: AppName, step: Step): void;
  /** `owner` is the app whose cluster the process belongs to, or "redis". */
  onProcessStart?(owner: ProcessOwner, id: string, pid: number): void;
  onFault?(app: AppName, fault: string): void;
  /** With --store-rtt: the journeys run twice, at loopback then at the distance; what each pass is. */
  onPass?(description: string): void;
}

export async function compare(options: CompareOptions, events: CompareEvents = {}): Promise<ComparisonReport> {
  const started = Date.now();
  const { urls } = options;
  if (urls) {
    const run = await runLanes(options, events, [{ journeys: runOrder(options.journeys), stacks: { urls } }], started);
    const stores = { redis: "the stack's own", postgres: "the stack's own", objectStorage: "the stack's own" };
    return report(options, run, { started, lanesStarted: started, lb: "given by URL", ...stores, instances: null });
  }
  const bed = await TestBed.open({
    lb: options.lb,
    storePersistence: options.storePersistence,
    redisKind: options.redisKind,
    storeRoundTripMs: options.storeRoundTripMs,
    onProcessStart: (owner, id, pid) => events.onProcessStart?.(owner, id, pid),
  });
  try {
    // Before the journeys: a measure of the distance alone, not of what they make the machine do.
    const storeDistance = await bed.measuredDistance();
    const lanes = await localLanes(bed, options);
    const atLoopback = options.storeRoundTripMs ? await loopbackPass(bed, options, events, lanes) : undefined;
    const lanesStarted = Date.now();
    if (atLoopback) events.onPass?.(`Then with each store ${options.storeRoundTripMs} ms away:`);
    const run = await runLanes(options, events, lanes, lanesStarted);
    const redis = lanes.length > 1 ? `${bed.storeDescription}, one per lane` : bed.storeDescription;
    const postgres = bed.databaseDescription;
    const objectStorage = bed.objectStoreDescription;
    const setup = {
      lb: options.lb,
      redis,
      postgres,
      objectStorage,
      instances: options.instances,
      storeDistance,
      atLoopback,
    };
    return report(options, run, { started, lanesStarted, ...setup });
  } finally {
    await bed.close();
  }
}

/**
 * With --store-rtt: the journeys first with the stores' proxies at 0 ms, on the lanes' own stacks
 * (the proxies' own cost is then in both), for each journey's time at loopback beside the
 * distance's; then the proxies move to the distance, their connections open.
 */
async function loopbackPass(
  bed: TestBed,
  options: CompareOptions,
  events: CompareEvents,
  lanes: readonly Lane[],
): Promise<LoopbackPass> {
  await bed.moveStores(0);
  const storeDistance = await bed.measuredDistance();
  events.onPass?.("First with the stores on loopback (the same proxies, at 0 ms):");
  const started = Date.now();
  const { results } = await runLanes(options, events, lanes, started);
  await bed.moveStores(options.storeRoundTripMs!);
  return {
    ms: Date.now() - started,
    storeDistance,
    results: results.map(({ journey, app, outcome, matched, durationMs, steps }) => ({
      journey,
      app,
      outcome,
      matched,
      durationMs,
      ...passMedians(steps),
    })),
  };
}

/** Where journeys run: local stacks on one store, or stacks given by the URL of their balancer. */
type Stacks =
  | { readonly bed: TestBed; readonly store: BedStore; readonly pool: StackPool }
  | { readonly urls: Partial<Record<AppName, string>> };

/** Journeys run one after another on the same stacks, beside the other lanes. */
interface Lane {
  readonly journeys: readonly JourneyName[];
  readonly stacks: Stacks;
}

/**
 * The lanes on the test bed (compare/lanes.ts), each on a store of its own: the first on the bed's,
 * the others on more private Redis servers. A Redis given by REDIS_URL cannot be split: one lane.
 */
async function localLanes(bed: TestBed, options: CompareOptions): Promise<Lane[]> {
  const apart = options.sideBySide !== false && bed.ownsRedis;
  return Promise.all(
    lanesOf(options.journeys, apart ? LANES : 1).map(async (journeys, lane) => {
      const store = lane === 0 ? bed.store : await bed.openStore();
      return { journeys, stacks: { bed, store, pool: new StackPool(bed, options.instances, store.url) } };
    }),
  );
}

/** The lanes side by side: the results in the matrix's order, and each lane's timing. */
async function runLanes(
  options: CompareOptions,
  events: CompareEvents,
  lanes: readonly Lane[],
  started: number,
): Promise<{ results: JourneyResult[]; lanes: LaneTiming[] }> {
  const byJourney = new Map<JourneyName, JourneyResult[]>();
  // Settled, not just awaited: a lane that failed to set up must not stop the bed under another.
  const settled = await Promise.allSettled(
    lanes.map(async ({ journeys, stacks }): Promise<LaneTiming> => {
      const timed: { journey: JourneyName; ms: number }[] = [];
      for (const name of journeys) {
        const from = Date.now();
        byJourney.set(name, await runPair(JOURNEYS[name], options, events, stacks));
        timed.push({ journey: name, ms: Date.now() - from });
      }
      return { journeys: timed, ms: Date.now() - started };
    }),
  );
  const timings = settled.map((lane) => {
    if (lane.status === "rejected") throw lane.reason;
    return lane.value;
  });
  return { results: options.journeys.flatMap((name) => byJourney.get(name) ?? []), lanes: timings };
}

/** One journey against every app, the apps side by side. */
async function runPair(
  journey: Journey,
  options: CompareOptions,
  events: CompareEvents,
  stacks: Stacks,
): Promise<JourneyResult[]> {
  events.onJourneyStart?.(journey.name);
  // Both apps run the journey side by side: a Redis freeze, restart or failover is one fault for both.
  const storeFault = "bed" in stacks ? stacks.bed.storeFault(options.apps.length, stacks.store.redis) : undefined;
  const storeFailover =
    "bed" in stacks ? stacks.bed.storeFailover(options.apps.length, stacks.store.sentinel) : undefined;
  const pairTimes = new PairTimes();
  const pair = await Promise.all(
    options.apps.map(async (app) => {
      const expected = expectation(journey, app, options);
      // Each fault, placed among the steps as they were recorded, for the sequence diagrams.
      const faults: FaultMark[] = [];
      let stepsSoFar = 0;
      const where =
        "bed" in stacks
          ? await localVenue(journey, app, {
              ...stacks,
              storeFault,
              storeFailover,
              onFault: (fault) => {
                faults.push({ afterSteps: stepsSoFar, fault });
                events.onFault?.(app, fault);
              },
            })
          : urlVenue(journey, stacks.urls[app]!, options.named?.includes(journey.name) ?? false);
      if ("skip" in where) return skippedJourney(journey, app, { lb: where.lb, expected }, where.skip);
      const result = await runJourney(journey, app, {
        balancerUrl: where.balancerUrl,
        control: where.control,
        lb: where.lb,
        expected,
        chaosSeconds: options.chaosSeconds,
        pairTimes,
        onStep: (step) => {
          stepsSoFar++;
          where.onStep?.(step);
          events.onStep?.(app, step);
        },
      });
      return faults.length > 0 ? { ...result, faults } : result;
    }),
  );
  for (const result of pair) events.onResult?.(result);
  return pair;
}

type ReportSetup = Pick<ComparisonReport, "lb" | "redis" | "postgres" | "objectStorage" | "instances"> &
  Partial<Pick<ComparisonReport, "storeDistance" | "atLoopback">>;

function report(
  options: CompareOptions,
  { results, lanes }: { results: JourneyResult[]; lanes: LaneTiming[] },
  {
    started,
    lanesStarted,
    lb,
    redis,
    postgres,
    objectStorage,
    instances,
    storeDistance,
    atLoopback,
  }: ReportSetup & { started: number; lanesStarted: number },
): ComparisonReport {
  const latency = Object.fromEntries(options.apps.map((app) => [app, latencyOf(results.filter((r) => r.app === app))]));
  return {
    durationMs: Date.now() - started,
    // The journeys at loopback (--store-rtt) ran in between: not the stores' start.
    setUpMs: lanesStarted - started - (atLoopback?.ms ?? 0),
    lanes,
    instances,
    lb,
    redis,
    postgres,
    objectStorage,
    ...(storeDistance && { storeDistance }),
    ...(atLoopback && { atLoopback }),
    results,
    latency,
    matched: [...results, ...(atLoopback?.results ?? [])].every((result) => result.matched),
  };
}

function expectation(journey: Journey, app: AppName, options: CompareOptions): Outcome {
  const judgedAs = JUDGED_AS[app];
  const forgetful = options.storePersistence ? undefined : journey.expectedWithoutStorePersistence?.[judgedAs];
  return options.expect[`${journey.name}:${app}`] ?? forgetful ?? journey.expected[judgedAs];
}

function latencyOf(results: JourneyResult[]): Latency {
  const ms = results.flatMap((result) => result.steps.map((step) => step.ms));
  return { requests: ms.length, p50Ms: percentile(ms, 50), p95Ms: percentile(ms, 95) };
}
