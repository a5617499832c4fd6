// On a Redis of its own, emptied before each sequence: the model starts from nothing, and
// orders of alice left by other test files would be surprises to it.
import { describeModelBasedContract, NO_LOGIN_LIMITS } from "@cart/contract-suite";
import { LocalRedisServer } from "@cart/local-infra";
import { createRedisClient, type RedisClient } from "@cart/redis-kit";
import type { Express } from "express";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";

jest.setTimeout(300_000); // MODEL_RUNS=1000 takes minutes

let redis: LocalRedisServer;
let clients: RedisClient[];
let instances: Express[];

beforeAll(async () => {
  redis = await LocalRedisServer.start();
  clients = [createRedisClient(redis.url), createRedisClient(redis.url)];
  await Promise.all(clients.map((client) => client.connect()));
  instances = clients.map((client, i) =>
    createApp(
      loadConfig({ NODE_ENV: "test", INSTANCE_ID: `stateless-${i + 1}`, REDIS_URL: redis.url, ...NO_LOGIN_LIMITS }),
      client,
    ),
  );
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await redis.stop();
});

// Every sequence is spread over two instances sharing the one Redis.
describeModelBasedContract({
  name: "stateless",
  issuesTokens: true,
  fresh: async () => {
    await clients[0]!.flushDb();
    return instances;
  },
});
