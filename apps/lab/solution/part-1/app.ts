// The shop after part 1, sessions and carts: those and the login counters in Redis, which every
// server shares; the rest still in this process (parts 2 to 7: apps/lab/parts.json).
import { DiskFiles } from "@cart/disk-kit";
import { createShopApp } from "@cart/http-kit";
import { isRedisReady, RedisRateLimitStore, RedisSessionStore, replicated, type RedisClient } from "@cart/redis-kit";
import type express from "express";
import { InMemoryAccountRepository } from "./account-repository";
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
}

export function createApp(config: AppConfig, { redis }: Stores): express.Express {
  const kitchenQueue = new KitchenQueue();
  const accounts = new InMemoryAccountRepository(config.instanceId, kitchenQueue);
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
    isReady: async () => isRedisReady(redis),
    rateLimitStore: (name) => new RedisRateLimitStore(redis, `rl:login-${name}:`),
    chatState: (connections) => new InMemoryChatState(new InMemoryChatHistory(), connections, config.instanceId),
  });
}
