// The shop after part 6, the kitchen: its queue in PostgreSQL too. Nothing is left in the process
// but sockets and the orders cooking; the user is still recognised by a session cookie (part 7).
import { createShopApp } from "@cart/http-kit";
import type { Database } from "@cart/pg-kit";
import { isRedisReady, RedisRateLimitStore, RedisSessionStore, replicated, type RedisClient } from "@cart/redis-kit";
import type { ObjectStore } from "@cart/s3-kit";
import type express from "express";
import { PgAccountRepository } from "./account-repository";
import { S3AvatarRepository } from "./avatar-repository";
import { RedisCartRepository } from "./cart-repository";
import { PgChatHistory } from "./chat-history";
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
  const kitchenQueue = new KitchenQueue(database, config.kitchen);
  const accounts = new PgAccountRepository(database, kitchenQueue);
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
    chatState: (connections) => new SharedChatState(redis, new PgChatHistory(database), connections, config.instanceId),
  });
}
