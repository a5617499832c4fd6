// LAB SOLUTION, part 2: the chat made stateless too. Its sockets stay on the server that holds
// them (a connection cannot move); everything else moves out with the stateless app's chat state
// (chat-state.ts): to Redis, what is temporary (which servers hold each user, claims that run out
// so a dead server leaves no ghost; routing between servers, pub/sub; typing); to PostgreSQL,
// what must last (the messages a reconnecting client resumes from, and how far each user has
// read). Part 1's answer stays as it was.
import { DiskFiles } from "@cart/disk-kit";
import { createShopApp } from "@cart/http-kit";
import type { Database } from "@cart/pg-kit";
import { isRedisReady, RedisRateLimitStore, type RedisClient } from "@cart/redis-kit";
import type express from "express";
import { PgAccountRepository } from "./account-repository";
import { DiskAvatarRepository } from "./avatar-repository";
import { RedisCartRepository } from "./cart-repository";
import { SharedChatState } from "./chat-state";
import type { AppConfig } from "./config";
import { createIdentity } from "./identity";
import { KitchenQueue, startKitchen } from "./kitchen";
import { RedisSessionStore } from "./session-store";

export function createApp(config: AppConfig, redis: RedisClient, database: Database): express.Express {
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
    // Still on this server's own disk: part 3 moves them out.
    avatars: new DiskAvatarRepository(new DiskFiles(config.avatarDir), config.instanceId),
    isReady: async () => (await isRedisReady(redis)) && (await database.isReady()),
    // Step 3: per-user login limits hold across instances only if every instance counts in one place.
    rateLimitStore: (name) => new RedisRateLimitStore(redis, `rl:login-${name}:`),
    // Part 2: the chat's state where every server sees it (Redis and the database).
    chatState: (connections) => new SharedChatState(redis, database, connections, config.instanceId),
  });
}
