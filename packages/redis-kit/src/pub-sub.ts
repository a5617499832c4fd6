// Listening on Redis channels beside a client's own connection: a subscribed connection can run no
// other command, so it gets one of its own, opened once the main connection is ready and closed
// with it. Both kinds of client subscribe again by themselves: a single one after a reconnection,
// a Sentinel one on the new primary after a failover (the known failure of Redis-based chats, a
// subscription that silently stops, is what the store-failover journey checks). Outages are
// reported by the main connection.
import { throughSentinel, type RedisClient } from "./redis-client";

/** Calls each channel's listener with what is published on it, for as long as `redis` is open. */
export function subscribe(redis: RedisClient, listeners: Record<string, (message: string) => void>): void {
  const subscriber = throughSentinel(redis) ? undefined : redis.duplicate();
  subscriber?.on("error", () => undefined);
  const start = async () => {
    // A Sentinel client keeps a subscribing connection of its own, and moves it with the primary.
    const on = subscriber ? await subscriber.connect() : redis;
    for (const [channel, listener] of Object.entries(listeners)) await on.subscribe(channel, listener);
  };
  if (redis.isReady) void start().catch(() => undefined);
  else redis.once("ready", () => void start().catch(() => undefined));
  redis.once("end", () => void (subscriber?.isOpen && subscriber.close()));
}
