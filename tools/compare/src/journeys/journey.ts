// What a journey is: a named story with an expected outcome per app, run against one stack.
// Faults are steps inside the story; the verdict comes from the HTTP answers the users got.
import type { DemoUser } from "../rig/demo-logins";
import type { JourneyName, Outcome, AppName, Architecture, RoutingPolicy } from "../vocabulary";
import type { ServerControl } from "./control/control";
import type { Chatter } from "./chatter";
import type { PairTimes } from "./pair-times";
import type { Shopper } from "./shopper";

/** What a journey has to work with: browsers, the servers (`Control`), and its report. */
export interface JourneyContext extends ServerControl {
  readonly app: AppName;
  /** How long the chaos journey goes on (--chaos-seconds). */
  readonly chaosSeconds: number;
  /** A new simulated browser talking to the balancer. */
  shopper(name: string, user?: DemoUser): Shopper;
  /** Opens `shopper`'s chat through the balancer (a WebSocket, a step); closed when the journey ends. */
  chat(shopper: Shopper): Promise<Chatter>;
  /** Records the cart `shopper` sees now (GET /cart through the balancer), before or after a fault. */
  observeCart(shopper: Shopper, when: "before" | "after"): Promise<void>;
  /** Extra facts for the report (requests per instance, say). */
  note(key: string, value: unknown): void;
  /** Requests served per instance so far (from X-Served-By). */
  requestsPerInstance(): Record<string, number>;
  /** What the other app's run of this journey, beside this one, saw and when (pair-times.ts). */
  readonly pairTimes: PairTimes;
}

export interface Journey {
  readonly name: JourneyName;
  /** One sentence: what happens. */
  readonly story: string;
  readonly expected: Record<Architecture, Outcome>;
  /** Expectations that differ when the suite's Redis keeps nothing on disk (--no-store-persistence). */
  readonly expectedWithoutStorePersistence?: Partial<Record<Architecture, Outcome>>;
  /** Routing per app when not the default (sticky for stateful, round-robin for stateless). */
  readonly policy?: Partial<Record<Architecture, RoutingPolicy>>;
  /** Not in the default matrix: run only when asked for with --journey. */
  readonly optIn?: boolean;
  /** Kills, restarts or adds servers, faults Redis or changes the routing: cannot run against a stack given by URL. */
  readonly needsLocalClusters?: boolean;
  /** Needs the suite's own Redis (to freeze or restart it), not one given by REDIS_URL. */
  readonly needsPrivateRedis?: boolean;
  /** Needs the suite's Redis Sentinel group (--store sentinel), to fail it over. */
  readonly needsSentinel?: boolean;
  /**
   * Leaves logins locked out behind it (failed-login counters on its store and its servers): runs
   * after every journey that shares them, and its stack is not reused.
   */
  readonly locksOutLogins?: boolean;
  /** Resolves if the users got what they should; throws JourneyFailure at the first step that failed them. */
  run(context: JourneyContext): Promise<void>;
}
