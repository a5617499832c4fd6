import { NO_LOGIN_LIMITS } from "@cart/contract-suite";
import { createRedisClient, type RedisClient } from "@cart/redis-kit";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";

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
    return createApp(
      loadConfig({ NODE_ENV: "test", INSTANCE_ID: instanceId, REDIS_URL: redisUrl, ...NO_LOGIN_LIMITS, ...env }),
      redis,
    );
  };
  const client = () => {
    const redis = createRedisClient(redisUrl);
    clients.push(redis);
    return redis;
  };
  return { instance, client };
}
