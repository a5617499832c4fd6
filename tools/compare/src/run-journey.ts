// Runs one journey against one app: a cluster and balancer (local, or a stack given by URL), the
// story, the verdict.
import { JUDGED_AS, type AppName } from "./apps";
import type { BalancerKind, RoutingPolicy } from "./balancer/load-balancer";
import { clusterControl } from "./control/cluster-control";
import type { Control } from "./control/control";
import { urlControl } from "./control/url-control";
import type { Journey, JourneyContext, Outcome } from "./journey";
import type { JourneyResult } from "./result";
import type { SharedStoreFault } from "./shared-store-fault";
import type { DemoUser } from "./demo-logins";
import { describeCart, Shopper } from "./shopper";
import { DEFAULT_POLICY } from "./stack";
import type { Stacks } from "./stack-pool";
import { JourneyFailure, type Step } from "./steps";

/** Local clusters, started (or reused) by the suite. */
export interface LocalTarget {
  readonly kind: "local";
  readonly instances: number;
  readonly lb: BalancerKind;
  readonly redisUrl: string;
  /** Freezes or restarts the suite's own Redis; absent when REDIS_URL was given (nothing of ours to fault). */
  readonly storeFault: SharedStoreFault | undefined;
  readonly stacks: Stacks;
  readonly onStart: (app: AppName, id: string, pid: number) => void;
}

/** A running stack given by the URL of its balancer. */
export interface UrlTarget {
  readonly kind: "url";
  readonly url: string;
}

export interface RunJourneyOptions {
  readonly target: LocalTarget | UrlTarget;
  readonly expected: Outcome;
  readonly chaosSeconds: number;
  readonly onStep: (app: AppName, step: Step) => void;
  /** A fault the journey inflicts (kill -9, restart, scale-out, store freeze), in words. */
  readonly onFault: (app: AppName, fault: string) => void;
  /** Waits before each request the journey's users send (the workshop's step-by-step replay). */
  readonly pace?: () => Promise<void>;
}

export const NEEDS_LOCAL_CLUSTERS =
  "needs the local clusters (it kills, restarts or adds servers, faults Redis or changes the routing): leave out --stateful-url/--stateless-url";
const NEEDS_PRIVATE_REDIS = "needs the suite's own Redis (unset REDIS_URL)";

export async function runJourney(journey: Journey, app: AppName, options: RunJourneyOptions): Promise<JourneyResult> {
  const { target } = options;
  const policy = journey.policy?.[JUDGED_AS[app]] ?? DEFAULT_POLICY[app];
  const lb = target.kind === "url" ? `given by URL (${target.url})` : `${target.lb} ${policy}`;
  const base = { journey: journey.name, app, lb, expected: options.expected, details: {} };
  const skip =
    target.kind === "url"
      ? journey.needsLocalClusters && NEEDS_LOCAL_CLUSTERS
      : journey.needsPrivateRedis && !target.storeFault && NEEDS_PRIVATE_REDIS;
  if (skip) {
    return { ...base, outcome: "skipped", matched: true, failure: skip, durationMs: 0, steps: [] };
  }

  const started = Date.now();
  const steps: Step[] = [];
  const details: Record<string, unknown> = {};
  const carts: { before?: string; after?: string } = {};
  const record = (step: Step) => {
    steps.push(step);
    options.onStep(app, step);
  };
  const { balancerUrl, control } = await connect(app, policy, options, () => Object.keys(countByInstance(steps)));
  const context: JourneyContext = {
    app,
    chaosSeconds: options.chaosSeconds,
    shopper: (name: string, user: DemoUser = "alice") => new Shopper(name, user, balancerUrl, record, options.pace),
    ...control,
    observeCart: async (shopper, when) => {
      const reply = await shopper.send("GET", "/cart");
      carts[when] =
        reply.status === 200 ? describeCart(shopper.cart) : `${reply.status} ${reply.body?.error?.code ?? ""}`.trim();
    },
    note: (key, value) => void (details[key] = value),
    requestsPerInstance: () => countByInstance(steps),
  };

  let outcome: Outcome = "pass";
  let failure: string | null = null;
  try {
    await journey.run(context);
  } catch (error) {
    outcome = "fail";
    failure = error instanceof JourneyFailure ? error.message : `unexpected error: ${(error as Error).message}`;
  } finally {
    await control.finish();
  }
  return {
    ...base,
    outcome,
    matched: outcome === options.expected,
    failure,
    ...(carts.before !== undefined && { cartBeforeFault: carts.before }),
    ...(carts.after !== undefined && { cartAfterFault: carts.after }),
    details,
    durationMs: Date.now() - started,
    steps,
  };
}

function countByInstance(steps: Step[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { instance } of steps) if (instance !== "balancer") counts[instance] = (counts[instance] ?? 0) + 1;
  return counts;
}

/** The balancer to shop at, and what the journey may do to the servers behind it. */
async function connect(
  app: AppName,
  policy: RoutingPolicy,
  { target, onFault }: RunJourneyOptions,
  seenInstances: () => string[],
): Promise<{ balancerUrl: string; control: Control }> {
  if (target.kind === "url") return { balancerUrl: target.url, control: urlControl(target.url, seenInstances) };
  const stack = await target.stacks.acquire({
    app,
    instances: target.instances,
    policy,
    lb: target.lb,
    redisUrl: target.redisUrl,
    onStart: (id, pid) => target.onStart(app, id, pid),
  });
  const control = clusterControl({
    stack,
    storeFault: target.storeFault,
    fault: (what) => onFault(app, what),
    release: () => target.stacks.release(stack, target.instances),
  });
  return { balancerUrl: stack.balancer.url, control };
}
