// The comparison: a private Redis, then each journey against each app (both apps side by side,
// each with a fresh cluster), then latency per app. Callers get progress through `events`.
import { LocalHaproxy, LocalRedisServer } from "@cart/local-infra";
import { JUDGED_AS, type AppName } from "./apps";
import type { BalancerKind } from "./balancer/load-balancer";
import { JOURNEYS } from "./journeys";
import type { Journey, JourneyName, Outcome } from "./journey";
import { percentile, type ComparisonReport, type JourneyResult, type Latency } from "./result";
import { runJourney, type LocalTarget, type UrlTarget } from "./run-journey";
import { SharedStoreFault } from "./shared-store-fault";
import { StackPool } from "./stack-pool";
import type { Step } from "./steps";

export type ExpectationKey = `${JourneyName}:${AppName}`;

export interface CompareOptions {
  readonly journeys: readonly JourneyName[];
  readonly apps: readonly AppName[];
  readonly instances: number;
  readonly lb: BalancerKind;
  /** Replaces a journey's declared expectation for one app. */
  readonly expect: Partial<Record<ExpectationKey, Outcome>>;
  /** A Redis to use instead of starting one (its data is left alone; the store fault journeys are skipped). */
  readonly redisUrl: string | undefined;
  /** The private Redis keeps an append-only file, so a restart loses nothing (Compose does the same). */
  readonly storePersistence: boolean;
  /** How long the chaos journey goes on. */
  readonly chaosSeconds: number;
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
  onProcessStart?(owner: AppName | "redis", id: string, pid: number): void;
  onFault?(app: AppName, fault: string): void;
}

export async function compare(options: CompareOptions, events: CompareEvents = {}): Promise<ComparisonReport> {
  return options.urls ? compareByUrl(options, options.urls, events) : compareLocally(options, events);
}

async function compareLocally(options: CompareOptions, events: CompareEvents): Promise<ComparisonReport> {
  const started = Date.now();
  if (options.lb === "haproxy") await LocalHaproxy.ensureInstalled();
  const privateRedis = options.redisUrl
    ? undefined
    : await LocalRedisServer.start({ appendOnly: options.storePersistence });
  const redisUrl = options.redisUrl ?? privateRedis!.url;
  if (privateRedis) events.onProcessStart?.("redis", `redis-server on port ${privateRedis.port}`, privateRedis.pid);
  const stacks = new StackPool();
  try {
    const results = await runAll(options, events, () => {
      // Both apps run side by side; a Redis freeze or restart is one fault for both.
      const storeFault = privateRedis && new SharedStoreFault(privateRedis, options.apps.length);
      return () => ({
        kind: "local",
        instances: options.instances,
        lb: options.lb,
        redisUrl,
        storeFault,
        stacks,
        onStart: (app, id, pid) => events.onProcessStart?.(app, id, pid),
      });
    });
    const redis = options.redisUrl
      ? "given by REDIS_URL"
      : `private redis-server (${options.storePersistence ? "append-only file on" : "no persistence"})`;
    return report(options, results, { started, lb: options.lb, redis, instances: options.instances });
  } finally {
    await stacks.stopAll();
    await privateRedis?.stop();
  }
}

async function compareByUrl(
  options: CompareOptions,
  urls: Partial<Record<AppName, string>>,
  events: CompareEvents,
): Promise<ComparisonReport> {
  const started = Date.now();
  const results = await runAll(options, events, () => (app) => ({ kind: "url", url: urls[app]! }));
  return report(options, results, { started, lb: "given by URL", redis: "the stack's own", instances: null });
}

/** Each journey against every app, the apps side by side; `targets` is asked once per journey. */
async function runAll(
  options: CompareOptions,
  events: CompareEvents,
  targets: () => (app: AppName) => LocalTarget | UrlTarget,
): Promise<JourneyResult[]> {
  const results: JourneyResult[] = [];
  for (const name of options.journeys) {
    events.onJourneyStart?.(name);
    const journey = JOURNEYS[name];
    const target = targets();
    const pair = await Promise.all(
      options.apps.map((app) =>
        runJourney(journey, app, {
          target: target(app),
          expected: expectation(journey, app, options),
          chaosSeconds: options.chaosSeconds,
          onStep: (stepApp, step) => events.onStep?.(stepApp, step),
          onFault: (faultApp, fault) => events.onFault?.(faultApp, fault),
        }),
      ),
    );
    for (const result of pair) events.onResult?.(result);
    results.push(...pair);
  }
  return results;
}

function report(
  options: CompareOptions,
  results: JourneyResult[],
  { started, lb, redis, instances }: { started: number; lb: string; redis: string; instances: number | null },
): ComparisonReport {
  const latency = Object.fromEntries(options.apps.map((app) => [app, latencyOf(results.filter((r) => r.app === app))]));
  return {
    durationMs: Date.now() - started,
    instances,
    lb,
    redis,
    results,
    latency,
    matched: results.every((result) => result.matched),
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
