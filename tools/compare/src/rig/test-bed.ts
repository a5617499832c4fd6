// The test bed: the suite's private stores, and the stacks that run on them. The one place where
// compare, bench, memory and the workshop start what they need, and where REDIS_URL is read: when
// set, it names an existing Redis to use instead of a private one (its data is left alone, and
// the journeys that fault Redis are skipped). The stores of later stories join here.
import { LocalHaproxy, LocalRedisServer } from "@cart/local-infra";
import { DEFAULT_POLICY, type AppName, type BalancerKind, type RoutingPolicy } from "../vocabulary";
import { clusterEnv } from "./apps";
import { SharedStoreFault } from "./shared-store-fault";
import { startStack, stopStack, type Stack } from "./stack";

export interface TestBedOptions {
  readonly lb: BalancerKind;
  /** The private Redis keeps an append-only file, as in Compose: a restart loses nothing. On by default. */
  readonly storePersistence?: boolean;
  /** A Redis of our own whatever REDIS_URL says (the workshop's buttons freeze it). */
  readonly ownStore?: boolean;
  /** False when no app of the run needs a store (pnpm memory --app stateful). */
  readonly needsStore?: boolean;
  readonly onProcessStart?: (owner: AppName | "redis", id: string, pid: number) => void;
}

export interface StackRequest {
  readonly instances: number;
  /** The app's usual routing unless given. */
  readonly policy?: RoutingPolicy;
  /** How many instances may be added while it runs (HAProxy keeps a slot for each). */
  readonly spareSlots?: number;
  /** The bed's Redis unless given (one from `openStore`). */
  readonly redisUrl?: string;
}

/** A Redis the stacks can use, and ours to fault when `redis` is set. */
export interface BedStore {
  readonly url: string;
  readonly redis: LocalRedisServer | undefined;
}

export class TestBed {
  private readonly stacks = new Set<Stack>();
  /** Private stores opened beside the first (`openStore`), stopped by close(). */
  private readonly moreStores: LocalRedisServer[] = [];

  private constructor(
    private readonly options: TestBedOptions,
    /** Where the apps find Redis ("" when the run needs none). */
    readonly redisUrl: string,
    /** Ours to fault (freeze, restart) and count; undefined when REDIS_URL named another. */
    readonly privateRedis: LocalRedisServer | undefined,
  ) {}

  /** Checks the tools the run needs before starting anything, then starts the private stores. */
  static async open(options: TestBedOptions): Promise<TestBed> {
    if (options.lb === "haproxy") await LocalHaproxy.ensureInstalled();
    const given = options.ownStore ? undefined : process.env.REDIS_URL || undefined;
    if (given || options.needsStore === false) return new TestBed(options, given ?? "", undefined);
    const redis = await LocalRedisServer.start({ appendOnly: options.storePersistence ?? true });
    options.onProcessStart?.("redis", `redis-server on port ${redis.port}`, redis.pid);
    return new TestBed(options, redis.url, redis);
  }

  get lb(): BalancerKind {
    return this.options.lb;
  }

  /** The store as the reports describe it. */
  get storeDescription(): string {
    if (!this.privateRedis) return this.redisUrl ? "given by REDIS_URL" : "none";
    return `private redis-server (${this.options.storePersistence === false ? "no persistence" : "append-only file on"})`;
  }

  /** The bed's own store: the private Redis, or the one REDIS_URL names. */
  get store(): BedStore {
    return { url: this.redisUrl, redis: this.privateRedis };
  }

  /** Another private Redis, set up as the first, for journeys that must not share one; only on a bed with its own. */
  async openStore(): Promise<BedStore> {
    if (!this.privateRedis) throw new Error("openStore: this bed's Redis is not its own (REDIS_URL)");
    const redis = await LocalRedisServer.start({ appendOnly: this.options.storePersistence ?? true });
    this.moreStores.push(redis);
    this.options.onProcessStart?.("redis", `redis-server on port ${redis.port}`, redis.pid);
    return { url: redis.url, redis };
  }

  /**
   * One fault of a private Redis (the bed's unless given) shared by `parties` journeys running
   * side by side; none for a Redis not ours.
   */
  storeFault(parties: number, redis = this.privateRedis): SharedStoreFault | undefined {
    return redis && new SharedStoreFault(redis, parties);
  }

  /** A cluster of `app` behind its balancer, on this bed's stores; close() stops it unless stopStack did. */
  async startStack(
    app: AppName,
    { instances, policy = DEFAULT_POLICY[app], spareSlots, redisUrl = this.redisUrl }: StackRequest,
  ): Promise<Stack> {
    const stack = await startStack({
      app,
      instances,
      policy,
      lb: this.options.lb,
      redisUrl,
      spareSlots,
      onStart: (id, pid) => this.options.onProcessStart?.(app, id, pid),
    });
    this.stacks.add(stack);
    return stack;
  }

  async stopStack(stack: Stack): Promise<void> {
    if (!this.stacks.delete(stack)) return;
    await stopStack(stack);
  }

  /** The environment of one instance of `app` run on its own (pnpm memory), with fresh secrets. */
  instanceEnv(app: AppName): NodeJS.ProcessEnv {
    return clusterEnv(app, this.redisUrl);
  }

  /** Stops every stack still running, then the private stores. */
  async close(): Promise<void> {
    await Promise.all([...this.stacks].map((stack) => this.stopStack(stack)));
    await Promise.all([this.privateRedis, ...this.moreStores].map((redis) => redis?.stop()));
  }
}
