// What a journey is: a named story with an expected outcome per app, run against one stack.
// Faults are steps inside the story; the verdict comes from the HTTP answers the users got.
import type { DemoUser } from "../rig/demo-logins";
import type { JourneyName, Outcome, AppName, Architecture, RoutingPolicy } from "../vocabulary";
import type { Shopper } from "./shopper";

export interface JourneyContext {
  readonly app: AppName;
  /** How long the chaos journey goes on (--chaos-seconds). */
  readonly chaosSeconds: number;
  /** A new simulated browser talking to the balancer. */
  shopper(name: string, user?: DemoUser): Shopper;
  /** The servers behind the balancer: the local cluster's, or in URL mode those that answered so far. */
  instanceIds(): string[];
  /**
   * GET `path` with `headers` on every server: directly on each local instance, or in URL mode
   * through the balancer (without its sticky cookie) until the answers stop showing new servers.
   */
  askEveryInstance(path: string, headers: Record<string, string>): Promise<{ instance: string; status: number }[]>;
  /** The methods below need the local clusters (see `needsLocalClusters`). */
  instanceRunning(id: string): boolean;
  kill(id: string): Promise<void>;
  /** Starts a killed instance again on its port: the same server, with empty memory. */
  revive(id: string): Promise<void>;
  restart(id: string): Promise<void>;
  addInstance(): Promise<string>;
  /** Freezes the private Redis (SIGSTOP) until `resumeStore`; resolves once it is frozen. */
  freezeStore(): Promise<void>;
  resumeStore(): void;
  /** Restarts the private Redis (SIGTERM, same port and data); resolves once every instance is ready again. */
  restartStore(): Promise<void>;
  /** Records the cart `shopper` sees now (GET /cart through the balancer), before or after a fault. */
  observeCart(shopper: Shopper, when: "before" | "after"): Promise<void>;
  /** Extra facts for the report (requests per instance, say). */
  note(key: string, value: unknown): void;
  /** Requests served per instance so far (from X-Served-By). */
  requestsPerInstance(): Record<string, number>;
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
  /** Resolves if the users got what they should; throws JourneyFailure at the first step that failed them. */
  run(context: JourneyContext): Promise<void>;
}
