// LAB SOLUTION, part 4: the kitchen's queue moves from this server's memory to PostgreSQL, with
// the stateless app's kitchen (kitchen.ts, pg-boss): each order's job is written in the order's
// own transaction, so neither exists without the other; workers on every server take jobs, a job
// whose worker dies goes to another server when its lease runs out, and the order's conditional
// writes keep a job delivered twice from cooking twice. The answers of parts 1 to 3 stay as they
// were.
import { createShopApp } from "@cart/http-kit";
import type { Database } from "@cart/pg-kit";
import { isRedisReady, RedisRateLimitStore, type RedisClient } from "@cart/redis-kit";
import type { ObjectStore } from "@cart/s3-kit";
import type express from "express";
import { PgAccountRepository } from "./account-repository";
import { S3AvatarRepository } from "./avatar-repository";
import { RedisCartRepository } from "./cart-repository";
import { SharedChatState } from "./chat-state";
import type { AppConfig } from "./config";
import { createIdentity } from "./identity";
import { KitchenQueue, startKitchen } from "./kitchen";
import { RedisSessionStore } from "./session-store";

/** The stores an instance keeps its state in, opened by server.ts. */
export interface Stores {
  readonly redis: RedisClient;
  readonly database: Database;
  readonly objectStore: ObjectStore;
}

export function createApp(config: AppConfig, { redis, database, objectStore }: Stores): express.Express {
  // Part 4: the kitchen's queue moves with the orders: each order's job is written in its transaction.
  const accounts = new PgAccountRepository(database, new KitchenQueue(database.pool, config.kitchen.kitchenMs));
  const carts = new RedisCartRepository(redis, config.sessionTtlSeconds);
  const identity = createIdentity(config, new RedisSessionStore({ client: redis }));
  return createShopApp({
    config,
    identity,
    carts,
    accounts,
    kitchen: startKitchen(database, accounts, config.kitchen),
    // Part 3: avatars where every server finds them.
    avatars: new S3AvatarRepository(objectStore),
    isReady: async () => (await isRedisReady(redis)) && (await database.isReady()) && (await objectStore.isReady()),
    // Step 3: per-user login limits hold across instances only if every instance counts in one place.
    rateLimitStore: (name) => new RedisRateLimitStore(redis, `rl:login-${name}:`),
    // Part 2: the chat's state where every server sees it.
    chatState: (connections) => new SharedChatState(redis, database, connections, config.instanceId),
  });
}
