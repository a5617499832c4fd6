// Runs one journey against one app, given what it needs: the balancer its users shop at, and a
// control of the servers behind it (a local stack's, or an observer's for a stack given by URL).
// Returns the verdict, with every step. Where the stack comes from is the caller's business.
import type { DemoUser } from "../rig/demo-logins";
import { JUDGED_AS, DEFAULT_POLICY, type AppName, type Outcome, type RoutingPolicy } from "../vocabulary";
import type { Control } from "./control/control";
import type { Journey, JourneyContext } from "./journey";
import type { JourneyResult } from "./result";
import { Chatter } from "./chatter";
import { PairTimes } from "./pair-times";
import { describeCart, Shopper } from "./shopper";
import { JourneyFailure, type Step } from "./steps";

export interface RunJourneyOptions {
  /** Where the journey's users send their requests. */
  readonly balancerUrl: string;
  /** What the journey may do to the servers; finished when the journey ends, pass or fail. */
  readonly control: Control;
  /** The balancer and routing as the report names them: "builtin sticky", "given by URL (…)". */
  readonly lb: string;
  readonly expected: Outcome;
  readonly chaosSeconds: number;
  readonly onStep: (step: Step) => void;
  /** Waits before each request the journey's users send (the workshop's step-by-step replay). */
  readonly pace?: () => Promise<void>;
  /** Shared with the other app's run of the journey beside this one, if any (pair-times.ts). */
  readonly pairTimes?: PairTimes;
}

/** The routing a journey asks for on `app`: its own, or the app's usual one. */
export function journeyPolicy(journey: Journey, app: AppName): RoutingPolicy {
  return journey.policy?.[JUDGED_AS[app]] ?? DEFAULT_POLICY[app];
}

/** The result of a journey that cannot run here, and why. */
export function skippedJourney(
  journey: Journey,
  app: AppName,
  { lb, expected }: Pick<RunJourneyOptions, "lb" | "expected">,
  reason: string,
): JourneyResult {
  const base = { journey: journey.name, app, lb, expected, details: {} };
  return { ...base, outcome: "skipped", matched: true, failure: reason, durationMs: 0, steps: [] };
}

export async function runJourney(journey: Journey, app: AppName, options: RunJourneyOptions): Promise<JourneyResult> {
  const { balancerUrl } = options;
  const { finish, ...servers } = options.control;
  const started = Date.now();
  const steps: Step[] = [];
  const details: Record<string, unknown> = {};
  const carts: { before?: string; after?: string } = {};
  const chatters: Chatter[] = [];
  const record = (step: Step) => {
    steps.push(step);
    options.onStep(step);
  };
  const context: JourneyContext = {
    app,
    chaosSeconds: options.chaosSeconds,
    shopper: (name: string, user: DemoUser = "alice") => new Shopper(name, user, balancerUrl, record, options.pace),
    ...servers,
    chat: async (shopper) => {
      const chatter = await Chatter.open(shopper, balancerUrl, record);
      chatters.push(chatter);
      return chatter;
    },
    observeCart: async (shopper, when) => {
      const reply = await shopper.send("GET", "/cart");
      carts[when] =
        reply.status === 200 ? describeCart(shopper.cart) : `${reply.status} ${reply.body?.error?.code ?? ""}`.trim();
    },
    note: (key, value) => void (details[key] = value),
    requestsPerInstance: () => countByInstance(steps),
    pairTimes: options.pairTimes ?? new PairTimes(),
  };

  let outcome: Outcome = "pass";
  let failure: string | null = null;
  let failingStep: number | undefined;
  try {
    await journey.run(context);
  } catch (error) {
    outcome = "fail";
    failure = error instanceof JourneyFailure ? error.message : `unexpected error: ${(error as Error).message}`;
    // Other browsers of the journey may have been answered since: find that very step.
    const index = error instanceof JourneyFailure && error.step ? steps.lastIndexOf(error.step) : -1;
    if (index >= 0) failingStep = index;
  } finally {
    for (const chatter of chatters) chatter.close();
    await finish();
  }
  return {
    journey: journey.name,
    app,
    lb: options.lb,
    expected: options.expected,
    outcome,
    matched: outcome === options.expected,
    failure,
    ...(carts.before !== undefined && { cartBeforeFault: carts.before }),
    ...(carts.after !== undefined && { cartAfterFault: carts.after }),
    details,
    durationMs: Date.now() - started,
    steps,
    ...(failingStep !== undefined && { failingStep }),
  };
}

function countByInstance(steps: Step[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { instance } of steps) if (instance !== "balancer") counts[instance] = (counts[instance] ?? 0) + 1;
  return counts;
}
