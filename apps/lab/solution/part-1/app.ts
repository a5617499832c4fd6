// LAB SOLUTION: the stateful shop, made stateless. Sessions are still express-session's, but
// they live in Redis (connect-redis) instead of this process's MemoryStore; carts live in Redis,
// orders and store credit in PostgreSQL (the stateless app's repositories); the login counters in
// Redis too. Any instance can serve any request, and the balancer needs no stickiness. The chat is
// still this process's (part 2 moves it out), and so is the kitchen's queue (part 4): an order is
// in PostgreSQL, but its place in the queue is in the memory of the server that took it.
import { DiskFiles } from "@cart/disk-kit";
import { createShopApp } from "@cart/http-kit";
import type { Database } from "@cart/pg-kit";
import { isRedisReady, RedisRateLimitStore, type RedisClient } from "@cart/redis-kit";
import type express from "express";
import { PgAccountRepository } from "./account-repository";
import { DiskAvatarRepository } from "./avatar-repository";
import { RedisCartRepository } from "./cart-repository";
import { InMemoryChatState } from "./chat-state";
import type { AppConfig } from "./config";
import { createIdentity } from "./identity";
import { KitchenQueue, startKitchen } from "./kitchen";
import { RedisSessionStore } from "./session-store";

export function createApp(config: AppConfig, redis: RedisClient, database: Database): express.Express {
  // Still this server's own queue: placing an order hands its id to this process's memory, which
  // no transaction includes. Kill the server and its waiting orders stay `placed` in PostgreSQL.
  const kitchenQueue = new KitchenQueue();
  const accounts = new PgAccountRepository(database, { add: async (_tx, order) => kitchenQueue.add(order) });
  const carts = new RedisCartRepository(redis, config.sessionTtlSeconds);
  const identity = createIdentity(config, new RedisSessionStore({ client: redis }));
  return createShopApp({
    config,
    identity,
    carts,
    accounts,
    kitchen: startKitchen(kitchenQueue, accounts, config.kitchen),
    // Still on this server's own disk: part 3 moves them out.
    avatars: new DiskAvatarRepository(new DiskFiles(config.avatarDir), config.instanceId),
    isReady: async () => (await isRedisReady(redis)) && (await database.isReady()),
    // Step 3: per-user login limits hold across instances only if every instance counts in one place.
    rateLimitStore: (name) => new RedisRateLimitStore(redis, `rl:login-${name}:`),
    chatState: (connections) => new InMemoryChatState(connections, config.instanceId),
  });
}
