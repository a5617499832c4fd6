// The shop after part 2, orders and store credit: those in PostgreSQL too; avatars, the chat and the
// kitchen's queue still in this process (parts 3 to 6).
import { DiskFiles } from "@cart/disk-kit";
import { createShopApp } from "@cart/http-kit";
import type { Database } from "@cart/pg-kit";
import { isRedisReady, RedisRateLimitStore, RedisSessionStore, replicated, type RedisClient } from "@cart/redis-kit";
import type express from "express";
import { PgAccountRepository } from "./account-repository";
import { DiskAvatarRepository } from "./avatar-repository";
import { RedisCartRepository } from "./cart-repository";
import { InMemoryChatHistory } from "./chat-history";
import { InMemoryChatState } from "./chat-state";
import type { AppConfig } from "./config";
import { createIdentity } from "./identity";
import { KitchenQueue, startKitchen } from "./kitchen";

/** The stores an instance keeps its state in, opened by its caller (server.ts, or a test). */
export interface Stores {
  readonly redis: RedisClient;
  readonly database: Database;
}

export function createApp(config: AppConfig, { redis, database }: Stores): express.Express {
  // Still this process's kitchen queue (part 6), outside the order's transaction: a job is queued once
  // its order is placed (queued before, a worker could find no order yet, and drop the job).
  const kitchenQueue = new KitchenQueue();
  const accounts = new PgAccountRepository(database, { queueing: async () => [] });
  const place = accounts.place.bind(accounts);
  accounts.place = async (userId, order) => {
    const placed = await place(userId, order);
    if (placed === order) kitchenQueue.add(placed); // not for a retry (it gets the order placed first)
    return placed;
  };
  const sessions = new RedisSessionStore({ client: redis, ttl: config.sessionTtlSeconds });
  // The writes a failover of Redis must not take back: a checkout's settling.
  const writeMatters = () => replicated(redis, config.redisWaitReplicas);
  return createShopApp({
    config,
    identity: createIdentity(config, sessions),
    carts: new RedisCartRepository(redis, config.sessionTtlSeconds, writeMatters),
    accounts,
    kitchen: startKitchen(kitchenQueue, accounts, config.kitchen),
    avatars: new DiskAvatarRepository(new DiskFiles(config.avatarDir), config.instanceId),
    isReady: async () => (await isRedisReady(redis)) && (await database.isReady()),
    rateLimitStore: (name) => new RedisRateLimitStore(redis, `rl:login-${name}:`),
    chatState: (connections) => new InMemoryChatState(new InMemoryChatHistory(), connections, config.instanceId),
  });
}
