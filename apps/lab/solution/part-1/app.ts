// LAB SOLUTION: the stateful shop, made stateless. Sessions are still express-session's, but
// they live in Redis (connect-redis) instead of this process's MemoryStore; carts and orders
// live in Redis (the stateless app's repositories); so do the login counters. The cart keeps
// nothing in the process, so any instance can serve any request, and the balancer needs no
// stickiness. The chat is still this process's (part 2 moves it out).
import { createShopApp } from "@cart/http-kit";
import { isRedisReady, RedisRateLimitStore, type RedisClient } from "@cart/redis-kit";
import type express from "express";
import { RedisCartRepository } from "./cart-repository";
import { InMemoryChatState } from "./chat-state";
import type { AppConfig } from "./config";
import { createIdentity } from "./identity";
import { RedisOrderRepository } from "./order-repository";
import { RedisSessionStore } from "./session-store";

export function createApp(config: AppConfig, redis: RedisClient): express.Express {
  const orders = new RedisOrderRepository(redis);
  const carts = new RedisCartRepository(redis, config.sessionTtlSeconds);
  const identity = createIdentity(config, new RedisSessionStore({ client: redis }));
  return createShopApp({
    config,
    identity,
    carts,
    orders,
    isReady: () => isRedisReady(redis),
    sessionsInMemory: async () => 0,
    // Step 3: per-user login limits hold across instances only if every instance counts in one place.
    rateLimitStore: (name) => new RedisRateLimitStore(redis, `rl:login-${name}:`),
    chatState: (connections) => new InMemoryChatState(connections, config.instanceId),
  });
}
