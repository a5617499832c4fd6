// The stateful shop: sessions, carts, orders, store credit, the kitchen's queue, login counters and
// the chat all live in this process's memory, and avatars on this server's own disk.
import { timedAdapter } from "@cart/domain";
import { createShopApp } from "@cart/http-kit";
import type express from "express";
import { MemoryStore as RateLimitMemoryStore } from "express-rate-limit";
import { MemoryStore, type Store } from "express-session";
import { InMemoryAccountRepository } from "./account-repository";
import { DiskAvatarRepository } from "./avatar-repository";
import { InMemoryCartRepository } from "./cart-repository";
import { InMemoryChatState } from "./chat-state";
import type { AppConfig } from "./config";
import { createIdentity } from "./identity";
import { KitchenQueue, startKitchen } from "./kitchen";

// MemoryStore notices that a session has expired only when it is read, and carts have no expiry
// but ours: without a sweep, memory would grow with every user who ever logged in.
const SWEEP_MS = 60_000;

export function createApp(config: AppConfig): express.Express {
  // Each adapter timed as `memory` (or `disk`), for the answers' Server-Timing header.
  const kitchenQueue = new KitchenQueue();
  const accountStore = new InMemoryAccountRepository(config.instanceId, kitchenQueue);
  const accounts = timedAdapter("memory", accountStore);
  const carts = timedAdapter("memory", new InMemoryCartRepository(config.sessionTtlSeconds));
  // Only what reads or writes sessions: express-session also asks the store to make a blank one.
  const sessions = timedAdapter("memory", new MemoryStore(), ["get", "set", "destroy", "all", "length", "clear"]);
  // A session lives as long as its cookie: fixed at login, since express-session sends the cookie
  // again only when the session changes (and the stateless app's token lives as long). Without
  // `touch`, express-session no longer rewrites every session on every request to slide an expiry
  // that no browser's cookie follows, holding each response back until the store has answered.
  (sessions as Store).touch = undefined;
  const identity = createIdentity(config, sessions);
  setInterval(() => {
    sessions.all(() => undefined); // reading them all drops the expired ones
    carts.forgetExpired();
  }, SWEEP_MS).unref();
  return createShopApp({
    config,
    identity,
    carts,
    accounts,
    kitchen: startKitchen(kitchenQueue, accountStore, config.kitchen),
    avatars: timedAdapter("disk", new DiskAvatarRepository(config.avatarDir, config.instanceId)),
    isReady: async () => true,
    sessionsInMemory: async () => heldSessions(sessions),
    rateLimitStore: () => timedAdapter("memory", new RateLimitMemoryStore()),
    chatState: (connections) => timedAdapter("memory", new InMemoryChatState(connections, config.instanceId)),
  });
}

/** What the store really holds, expired or not (its own `length` drops the expired ones first). */
function heldSessions(store: MemoryStore): number {
  return Object.keys((store as unknown as { sessions: Record<string, string> }).sessions).length;
}
