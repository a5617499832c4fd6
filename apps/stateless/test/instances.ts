import { NO_LOGIN_LIMITS } from "@cart/contract-suite";
import type { Kitchen } from "@cart/domain";
import { LocalRedisServer } from "@cart/local-infra";
import { createPgPool, databaseOf, scratchDatabase, type Database } from "@cart/pg-kit";
import { createRedisClient, type RedisClient } from "@cart/redis-kit";
import { ObjectStore, objectStoreEnv, objectStoreFromEnv, scratchBucket } from "@cart/s3-kit";
import { createApp, type Stores } from "../src/app";
import { loadConfig } from "../src/config";
import { prepareDatabase } from "../src/database";
import { KitchenQueue } from "../src/kitchen";

/** The kitchens of the file's instances, each with its database: the workers stop before that database's pools end. */
const kitchens: { database: Database; kitchen: Kitchen }[] = [];

/** Stops the kitchens started on `databases` (the workers' jobs go back to the queue). */
async function stopKitchens(databases: readonly Database[]): Promise<void> {
  const theirs = kitchens.filter(({ database }) => databases.includes(database));
  await Promise.all(theirs.map(({ kitchen }) => kitchen.stop(0)));
}

/**
 * A PostgreSQL database of the test file's own (fresh wallets, no orders), on the test run's
 * server: made and prepared (migrated, wallets opened) before its tests, dropped after them.
 * `open()` gives a pool on it, like one more server's; they are closed before the drop.
 */
export function testDatabase() {
  const scratch = scratchDatabase(process.env.DATABASE_URL!, "test");
  const opened: Database[] = [];
  const queues: KitchenQueue[] = [];
  let markPrepared: () => void;
  const prepared = new Promise<void>((resolve) => (markPrepared = resolve));
  beforeAll(async () => {
    await scratch.create();
    const pool = createPgPool(scratch.url);
    await prepareDatabase(pool);
    await pool.end();
    markPrepared();
  });
  afterAll(async () => {
    await stopKitchens(opened);
    await Promise.all(queues.map((queue) => queue.jobs.stop()));
    await Promise.all(opened.map(({ pool }) => pool.end()));
    await scratch.drop();
  });
  return {
    url: scratch.url,
    /** Back to fresh wallets, no orders, no kitchen jobs and no chat, directly in the database. */
    async reset() {
      const pool = createPgPool(scratch.url);
      try {
        // The servers' kitchens go on beside a reset (pg-boss's upkeep locks the job table), so
        // the TRUNCATE, which locks each table in turn, may wait past the app's one-second deadline
        // or meet their locks in the other order (a deadlock PostgreSQL breaks by cancelling it):
        // either way it is tried again.
        for (let attempt = 1; ; attempt++) {
          try {
            await pool.query(
              "TRUNCATE ledger, orders, wallets, chat_messages, chat_conversations, chat_reads, pgboss.job",
            );
            break;
          } catch (error) {
            const { code } = error as { code?: string };
            if (attempt === 10 || (code !== "40P01" && code !== "57014")) throw error;
            await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
          }
        }
        await prepareDatabase(pool);
      } finally {
        await pool.end();
      }
    },
    open(): Database {
      const database = databaseOf(createPgPool(scratch.url), prepared);
      opened.push(database);
      return database;
    },
    /** The kitchen's queue on `db`, for a repository under test: no workers, stopped before the pools end. */
    kitchenQueue(db: Database): KitchenQueue {
      const queue = new KitchenQueue(db, { instanceId: "test", kitchenMs: 0, workers: 0 });
      queues.push(queue);
      return queue;
    },
  };
}

/**
 * A bucket of the test file's own (empty), on the test run's object store (the private S3 server
 * the global setup started, or the one S3_ENDPOINT names): made before its tests, deleted with
 * its objects after them. `open()` gives a client on it, like one more server's.
 */
export function testBucket() {
  const scratch = scratchBucket(objectStoreFromEnv(process.env), "test");
  const stores: ObjectStore[] = [];
  beforeAll(() => scratch.create());
  afterAll(async () => {
    for (const store of stores) store.close();
    await scratch.drop();
  });
  return {
    /** The variables that name it, for loadConfig. */
    env: objectStoreEnv(scratch.config),
    /** Deletes every object in it. */
    empty: () => scratch.empty(),
    open(): ObjectStore {
      const store = new ObjectStore(scratch.config);
      stores.push(store);
      return store;
    },
  };
}

/** An instance as the tests run it; login limits are out of the way unless `env` sets them. */
export function testApp(instanceId: string, redisUrl: string, stores: Stores, env: Record<string, string>) {
  const config = loadConfig({
    NODE_ENV: "test",
    INSTANCE_ID: instanceId,
    REDIS_URL: redisUrl,
    DATABASE_URL: process.env.DATABASE_URL!,
    ...NO_LOGIN_LIMITS,
    ...env,
  });
  const app = createApp(config, stores);
  kitchens.push({ database: stores.database, kitchen: app.locals.kitchen as Kitchen });
  return app;
}

/**
 * Stateless instances for a test file, each with its own store connections like a separate
 * server, all sharing one Redis (by default the test run's private one), the file's own database
 * and its own bucket. Create them when the file loads: their connections are opened before its tests and
 * closed after them. Login limits are out of the way: they have tests of their own, on a Redis of
 * their own.
 */
export function statelessInstances(redisUrl = process.env.REDIS_URL!) {
  const database = testDatabase();
  const bucket = testBucket();
  const clients: RedisClient[] = [];
  beforeAll(() => Promise.all(clients.map((client) => client.connect())));
  afterAll(() => Promise.all(clients.map((client) => client.close())));

  const instance = (instanceId: string, env: Record<string, string> = {}) => {
    const redis = createRedisClient(redisUrl);
    clients.push(redis);
    const stores = { redis, database: database.open(), objectStore: bucket.open() };
    return testApp(instanceId, redisUrl, stores, { ...bucket.env, ...env });
  };
  const client = () => {
    const redis = createRedisClient(redisUrl);
    clients.push(redis);
    return redis;
  };
  return { instance, client, database, bucket };
}

/**
 * Stateless instances on a Redis and a database of the test file's own, started before its tests
 * and stopped after them: for tests that count (login failures, orders), which the other files'
 * traffic on the shared Redis would disturb. `empty()` forgets everything the instances stored,
 * in Redis, in the database and in the bucket: every wallet holds its starting credit again.
 */
export function statelessInstancesOnOwnRedis() {
  let server: LocalRedisServer;
  const database = testDatabase();
  const bucket = testBucket();
  const clients: RedisClient[] = [];
  beforeAll(async () => {
    server = await LocalRedisServer.start();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.stop();
  });

  return {
    async start(instanceId: string, env: Record<string, string> = {}) {
      const redis = createRedisClient(server.url);
      clients.push(redis);
      await redis.connect();
      const stores = { redis, database: database.open(), objectStore: bucket.open() };
      return testApp(instanceId, server.url, stores, { ...bucket.env, ...env });
    },
    empty: async () => {
      await Promise.all([clients[0]?.flushDb(), database.reset(), bucket.empty()]);
    },
    /** The Redis these instances share. */
    url: () => server.url,
    database,
  };
}
