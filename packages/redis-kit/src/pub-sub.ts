// Listening on Redis channels beside a client's own connection: a subscribed connection can run no
// other command, so it gets one of its own, opened once the main connection is ready and closed
// with it. node-redis subscribes again by itself after a reconnection; outages are reported by the
// main connection.
import type { RedisClient } from "./redis-client";

/** Calls each channel's listener with what is published on it, for as long as `redis` is open. */
export function subscribe(redis: RedisClient, listeners: Record<string, (message: string) => void>): void {
  const subscriber = redis.duplicate();
  subscriber.on("error", () => undefined);
  const start = async () => {
    await subscriber.connect();
    for (const [channel, listener] of Object.entries(listeners)) await subscriber.subscribe(channel, listener);
  };
  if (redis.isReady) void start().catch(() => undefined);
  else redis.once("ready", () => void start().catch(() => undefined));
  redis.once("end", () => void (subscriber.isOpen && subscriber.close()));
}
