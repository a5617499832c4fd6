// Listening on Redis channels beside a client's own connection: a subscribed connection can run no
// other command, so it gets one of its own, opened once the main connection is ready and closed
// with it. Both kinds of client subscribe again by themselves: a single one after a reconnection,
// a Sentinel one on the new primary after a failover (the known failure of Redis-based chats, a
// subscription that silently stops, is what the store-failover journey checks). Outages are
// reported by the main connection.
import { setTimeout as sleep } from "node:timers/promises";
import { subscriptionMade, subscriptionStarted } from "./pending-subscriptions";
import { throughSentinel, type RedisClient } from "./redis-client";

/** How soon a subscription whose connection dropped before Redis confirmed it is tried again. */
const RETRY_MS = 100;

/**
 * Calls each channel's listener with what is published on it, for as long as `redis` is open. The
 * client is not ready (isRedisReady) until every channel is subscribed.
 */
export function subscribe(redis: RedisClient, listeners: Record<string, (message: string) => void>): void {
  const subscriber = throughSentinel(redis) ? undefined : redis.duplicate();
  subscriber?.on("error", () => undefined);
  let ended = false;
  subscriptionStarted(redis);
  const start = async () => {
    // A Sentinel client keeps a subscribing connection of its own, and moves it with the primary.
    const on = subscriber ? await subscriber.connect() : redis;
    // node-redis subscribes again after a reconnection only to what Redis confirmed: a SUBSCRIBE
    // whose connection dropped before the answer (Redis restarting as a server starts) would be
    // lost for good, and the server deaf on that channel. So each is tried until Redis confirms it.
    for (const [channel, listener] of Object.entries(listeners)) {
      for (;;) {
        if (ended) return;
        try {
          await on.subscribe(channel, listener);
          break;
        } catch {
          await sleep(RETRY_MS, undefined, { ref: false });
        }
      }
    }
  };
  const begin = () =>
    void start().then(
      () => subscriptionMade(redis),
      () => undefined,
    );
  if (redis.isReady) begin();
  else redis.once("ready", begin);
  redis.once("end", () => {
    ended = true;
    if (subscriber?.isOpen) void subscriber.close();
  });
}
