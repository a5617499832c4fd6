// The comparison: a private Redis, then each journey against each app (both apps side by side,
// each with a fresh cluster), then latency per app. Callers get progress through `events`.
import { LocalHaproxy, LocalRedisServer } from "@cart/local-infra";
import type { AppName } from "./apps";
import type { BalancerKind } from "./balancer/load-balancer";
import { JOURNEYS } from "./journeys";
import type { JourneyName, Outcome } from "./journey";
import { percentile, type ComparisonReport, type JourneyResult, type Latency } from "./result";
import { runJourney } from "./run-journey";
import { SharedFreeze } from "./shared-freeze";
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
  /** A Redis to use instead of starting one (its data is left alone; store-outage is skipped). */
  readonly redisUrl: string | undefined;
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
  const started = Date.now();
  if (options.lb === "haproxy") await LocalHaproxy.ensureInstalled();
  const privateRedis = options.redisUrl ? undefined : await LocalRedisServer.start();
  const redisUrl = options.redisUrl ?? privateRedis!.url;
  if (privateRedis) events.onProcessStart?.("redis", `redis-server on port ${privateRedis.port}`, privateRedis.pid);
  const results: JourneyResult[] = [];
  const stacks = new StackPool();
  try {
    for (const name of options.journeys) {
      events.onJourneyStart?.(name);
      const journey = JOURNEYS[name];
      // Both apps run side by side; a Redis freeze is one freeze for both.
      const storeFreeze = privateRedis && new SharedFreeze(privateRedis, options.apps.length);
      const run = (app: AppName) =>
        runJourney(journey, app, {
          instances: options.instances,
          lb: options.lb,
          redisUrl,
          storeFreeze,
          stacks,
          expected: options.expect[`${name}:${app}`] ?? journey.expected[app],
          onStep: (stepApp, step) => events.onStep?.(stepApp, step),
          onStart: (startApp, id, pid) => events.onProcessStart?.(startApp, id, pid),
          onFault: (faultApp, fault) => events.onFault?.(faultApp, fault),
        });
      const pair = await Promise.all(options.apps.map(run));
      for (const result of pair) events.onResult?.(result);
      results.push(...pair);
    }
  } finally {
    await stacks.stopAll();
    await privateRedis?.stop();
  }
  const latency = Object.fromEntries(options.apps.map((app) => [app, latencyOf(results.filter((r) => r.app === app))]));
  return {
    durationMs: Date.now() - started,
    instances: options.instances,
    lb: options.lb,
    redis: options.redisUrl ? "given by REDIS_URL" : "private redis-server",
    results,
    latency,
    matched: results.every((result) => result.matched),
  };
}

function latencyOf(results: JourneyResult[]): Latency {
  const ms = results.flatMap((result) => result.steps.map((step) => step.ms));
  return { requests: ms.length, p50Ms: percentile(ms, 50), p95Ms: percentile(ms, 95) };
}
