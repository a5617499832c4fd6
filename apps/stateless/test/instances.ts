import { NO_LOGIN_LIMITS } from "@cart/contract-suite";
import { LocalRedisServer } from "@cart/local-infra";
import { createRedisClient, type RedisClient } from "@cart/redis-kit";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";

/** An instance as the tests run it; login limits are out of the way unless `env` sets them. */
function testApp(instanceId: string, redisUrl: string, redis: RedisClient, env: Record<string, string>) {
  return createApp(
    loadConfig({ NODE_ENV: "test", INSTANCE_ID: instanceId, REDIS_URL: redisUrl, ...NO_LOGIN_LIMITS, ...env }),
    redis,
  );
}

/**
 * Stateless instances for a test file, each with its own Redis connection like a separate server,
 * all sharing one Redis (by default the test run's private one). Create them when the file loads:
 * their connections are opened before its tests and closed after them. Login limits are out of
 * the way: they have tests of their own, on a Redis of their own.
 */
export function statelessInstances(redisUrl = process.env.REDIS_URL!) {
  const clients: RedisClient[] = [];
  beforeAll(() => Promise.all(clients.map((client) => client.connect())));
  afterAll(() => Promise.all(clients.map((client) => client.close())));

  const instance = (instanceId: string, env: Record<string, string> = {}) => {
    const redis = createRedisClient(redisUrl);
    clients.push(redis);
    return testApp(instanceId, redisUrl, redis, env);
  };
  const client = () => {
    const redis = createRedisClient(redisUrl);
    clients.push(redis);
    return redis;
  };
  return { instance, client };
}

/**
 * Stateless instances on a Redis of the test file's own, started before its tests and stopped
 * after them: for tests that count (login failures, orders), which the other files' traffic on
 * the shared Redis would disturb. `empty()` forgets everything the instances stored.
 */
export function statelessInstancesOnOwnRedis() {
  let server: LocalRedisServer;
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
      return testApp(instanceId, server.url, redis, env);
    },
    empty: async () => {
      await clients[0]?.flushDb();
    },
    /** The Redis these instances share. */
    url: () => server.url,
  };
}
