// The stateful shop: sessions, carts, orders, store credit, the kitchen's queue, login counters and
// the chat all live in this process's memory, and avatars on this server's own disk.
import { DiskFiles } from "@cart/disk-kit";
import { createShopApp } from "@cart/http-kit";
import { memorySessions } from "@cart/memory-kit";
import type express from "express";
import { MemoryStore as RateLimitMemoryStore } from "express-rate-limit";
import { InMemoryAccountRepository } from "./account-repository";
import { DiskAvatarRepository } from "./avatar-repository";
import { InMemoryCartRepository } from "./cart-repository";
import { InMemoryChatHistory } from "./chat-history";
import { InMemoryChatState } from "./chat-state";
import type { AppConfig } from "./config";
import { createIdentity } from "./identity";
import { KitchenQueue, startKitchen } from "./kitchen";

export function createApp(config: AppConfig): express.Express {
  const kitchenQueue = new KitchenQueue();
  const accounts = new InMemoryAccountRepository(config.instanceId, kitchenQueue);
  const sessions = memorySessions();
  return createShopApp({
    config,
    identity: createIdentity(config, sessions.store),
    carts: new InMemoryCartRepository(config.sessionTtlSeconds),
    accounts,
    kitchen: startKitchen(kitchenQueue, accounts, config.kitchen),
    avatars: new DiskAvatarRepository(new DiskFiles(config.avatarDir), config.instanceId),
    isReady: async () => true,
    sessionsInMemory: async () => sessions.held(),
    rateLimitStore: () => new RateLimitMemoryStore(),
    chatState: (connections) => new InMemoryChatState(new InMemoryChatHistory(), connections, config.instanceId),
  });
}
