// The stateless shop: sessions, carts, orders, login counters and the chat all live in Redis; the
// process keeps nothing but the chat's open sockets, which cannot move.
import { createShopApp } from "@cart/http-kit";
import { isRedisReady, RedisRateLimitStore, type RedisClient } from "@cart/redis-kit";
import { RedisStore } from "connect-redis";
import type express from "express";
import { RedisCartRepository } from "./cart-repository";
import { RedisChatState } from "./chat-state";
import type { AppConfig } from "./config";
import { createIdentity } from "./identity";
import { RedisOrderRepository } from "./order-repository";

export function createApp(config: AppConfig, redis: RedisClient): express.Express {
  const orders = new RedisOrderRepository(redis);
  const carts = new RedisCartRepository(redis, config.sessionTtlSeconds);
  const identity = createIdentity(config, new RedisStore({ client: redis, ttl: config.sessionTtlSeconds }));
  return createShopApp({
    config,
    identity,
    carts,
    orders,
    isReady: () => isRedisReady(redis),
    sessionsInMemory: async () => 0,
    rateLimitStore: (name) => new RedisRateLimitStore(redis, `rl:login-${name}:`),
    chatState: (connections) => new RedisChatState(redis, connections, config.instanceId),
  });
}
