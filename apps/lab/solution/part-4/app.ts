// The shop after part 4, the chat: who is where: presence, typing and routing in Redis too; the
// chat's history and the kitchen's queue still in this process (parts 5 and 6).
import { createShopApp } from "@cart/http-kit";
import type { Database } from "@cart/pg-kit";
import { isRedisReady, RedisRateLimitStore, RedisSessionStore, replicated, type RedisClient } from "@cart/redis-kit";
import type { ObjectStore } from "@cart/s3-kit";
import type express from "express";
import { PgAccountRepository } from "./account-repository";
import { S3AvatarRepository } from "./avatar-repository";
import { RedisCartRepository } from "./cart-repository";
import { InMemoryChatHistory } from "./chat-history";
import { SharedChatState } from "./chat-state";
import type { AppConfig } from "./config";
import { createIdentity } from "./identity";
import { KitchenQueue, startKitchen } from "./kitchen";

/** The stores an instance keeps its state in, opened by its caller (server.ts, or a test). */
export interface Stores {
  readonly redis: RedisClient;
  readonly database: Database;
  readonly objectStore: ObjectStore;
}

export function createApp(config: AppConfig, { redis, database, objectStore }: Stores): express.Express {
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
    avatars: new S3AvatarRepository(objectStore),
    isReady: async () => (await isRedisReady(redis)) && (await database.isReady()) && (await objectStore.isReady()),
    rateLimitStore: (name) => new RedisRateLimitStore(redis, `rl:login-${name}:`),
    chatState: (connections) => new SharedChatState(redis, new InMemoryChatHistory(), connections, config.instanceId),
  });
}
