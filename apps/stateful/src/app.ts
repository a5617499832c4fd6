// The stateful shop: sessions, carts, orders and login counters all live in this process's memory.
import { createShopApp } from "@cart/http-kit";
import type express from "express";
import { MemoryStore as RateLimitMemoryStore } from "express-rate-limit";
import { MemoryStore } from "express-session";
import { InMemoryCartRepository } from "./cart-repository";
import type { AppConfig } from "./config";
import { createIdentity } from "./identity";
import { InMemoryOrderRepository } from "./order-repository";

export function createApp(config: AppConfig): express.Express {
  const orders = new InMemoryOrderRepository();
  const carts = new InMemoryCartRepository(orders);
  const identity = createIdentity(config, new MemoryStore());
  return createShopApp({
    config,
    identity,
    carts,
    orders,
    isReady: async () => true,
    rateLimitStore: () => new RateLimitMemoryStore(),
  });
}
