// LAB SOLUTION, part 3: avatars move from this server's disk to object storage, with the
// stateless app's avatar repository (avatar-repository.ts): one object per user in a bucket every
// server shares, so a picture uploaded through one server is served by all of them, and outlives
// the machine that took it. The answers of parts 1 and 2 stay as they were.
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
  // Still this server's own kitchen queue (part 4 moves it out).
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
    // Part 3: avatars where every server finds them.
    avatars: new S3AvatarRepository(objectStore),
    isReady: async () => (await isRedisReady(redis)) && (await database.isReady()) && (await objectStore.isReady()),
    // Step 3: per-user login limits hold across instances only if every instance counts in one place.
    rateLimitStore: (name) => new RedisRateLimitStore(redis, `rl:login-${name}:`),
    // Part 2: the chat's state where every server sees it.
    chatState: (connections) => new SharedChatState(redis, database, connections, config.instanceId),
  });
}
