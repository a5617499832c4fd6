// On a Redis of its own: the counters of the other test files (alice fails to log in there too)
// must not change what these tests count.
import { describeLoginLimits } from "@cart/contract-suite";
import { LocalRedisServer } from "@cart/local-infra";
import { createRedisClient, type RedisClient } from "@cart/redis-kit";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";

let redis: LocalRedisServer;
const clients: RedisClient[] = [];

beforeAll(async () => {
  redis = await LocalRedisServer.start();
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await redis.stop();
});

describeLoginLimits({
  name: "stateless",
  sharesCounters: true,
  async start(instanceId, env) {
    const client = createRedisClient(redis.url);
    clients.push(client);
    await client.connect();
    return createApp(loadConfig({ NODE_ENV: "test", INSTANCE_ID: instanceId, REDIS_URL: redis.url, ...env }), client);
  },
});
