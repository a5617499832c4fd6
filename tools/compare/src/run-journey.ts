// Runs one journey against one app: a fresh cluster and balancer, the story, the verdict.
import type { AppName } from "./apps";
import type { BalancerKind } from "./balancer/load-balancer";
import type { Journey, JourneyContext, Outcome } from "./journey";
import type { JourneyResult } from "./result";
import { describeCart, Shopper, type DemoUser } from "./shopper";
import { DEFAULT_POLICY } from "./stack";
import type { StackPool } from "./stack-pool";
import type { SharedFreeze } from "./shared-freeze";
import { JourneyFailure, type Step } from "./steps";

export interface RunJourneyOptions {
  readonly instances: number;
  readonly lb: BalancerKind;
  readonly redisUrl: string;
  /** Freezes the suite's own Redis; absent when REDIS_URL was given (nothing of ours to freeze). */
  readonly storeFreeze: SharedFreeze | undefined;
  readonly expected: Outcome;
  readonly stacks: StackPool;
  readonly onStep: (app: AppName, step: Step) => void;
  readonly onStart: (app: AppName, id: string, pid: number) => void;
  /** A fault the journey inflicts (kill -9, restart, scale-out, store freeze), in words. */
  readonly onFault: (app: AppName, fault: string) => void;
}

export async function runJourney(journey: Journey, app: AppName, options: RunJourneyOptions): Promise<JourneyResult> {
  const policy = journey.policy?.[app] ?? DEFAULT_POLICY[app];
  const base = { journey: journey.name, app, lb: `${options.lb} ${policy}`, expected: options.expected, details: {} };
  if (journey.needsPrivateRedis && !options.storeFreeze) {
    return {
      ...base,
      outcome: "skipped",
      matched: true,
      failure: "needs the suite's own Redis (unset REDIS_URL)",
      durationMs: 0,
      steps: [],
    };
  }

  const started = Date.now();
  const steps: Step[] = [];
  const details: Record<string, unknown> = {};
  const carts: { before?: string; after?: string } = {};
  const stack = await options.stacks.acquire({
    app,
    instances: options.instances,
    policy,
    lb: options.lb,
    redisUrl: options.redisUrl,
    onStart: (id, pid) => options.onStart(app, id, pid),
  });
  const record = (step: Step) => {
    steps.push(step);
    options.onStep(app, step);
  };
  const { cluster, balancer } = stack;
  const fault = (what: string) => options.onFault(app, what);
  let frozen = false;
  const context: JourneyContext = {
    app,
    shopper: (name: string, user: DemoUser = "alice") => new Shopper(name, user, balancer.url, record),
    instanceIds: () => cluster.ids,
    instanceUrl: (id) => cluster.url(id),
    instanceRunning: (id) => cluster.running(id),
    kill: (id) => {
      fault(`kill -9 ${id}`);
      return cluster.kill(id);
    },
    // As a real deploy does: out of the balancer's rotation first, so that no new request meets
    // a server that is closing; in-flight ones finish, then SIGTERM, start, back into rotation.
    restart: async (id) => {
      fault(`restart ${id} (drain at the balancer, SIGTERM, start again)`);
      await balancer.drain(id);
      try {
        await cluster.restart(id);
      } finally {
        await balancer.restore(id);
      }
    },
    addInstance: async () => {
      const id = await cluster.addInstance();
      await balancer.setBackends(cluster.backends);
      fault(`${id} added behind the balancer`);
      return id;
    },
    freezeStore: async () => {
      frozen = true;
      await options.storeFreeze?.freeze();
      fault("Redis frozen (SIGSTOP)");
    },
    resumeStore: () => {
      if (!frozen) return;
      frozen = false;
      fault("Redis resumed (SIGCONT)");
      options.storeFreeze?.resume();
    },
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
    if (frozen) context.resumeStore();
    else options.storeFreeze?.leave();
    await options.stacks.release(stack, options.instances);
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
