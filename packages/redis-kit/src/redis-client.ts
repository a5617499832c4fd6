// A Redis connection for an app that keeps all its state there. Tuned to fail fast: an
// operation sent while the connection is down fails at once, one that gets no answer within a
// second fails then (STORE_UNAVAILABLE, 503), and the queue of unanswered commands is bounded,
// so a hung Redis never hangs a request or grows memory without limit.
import { STORE_DEADLINE_MS, withinStoreDeadline } from "@cart/domain";
import { createClient, ErrorReply } from "@redis/client";

const MAX_PENDING_COMMANDS = 1000;

export function createRedisClient(url: string) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandsQueueMaxLength: MAX_PENDING_COMMANDS,
    // storeCall's deadline covers every command; node-redis's own (5 s, an AbortSignal.timeout
    // made per command) would only repeat it, and cost 3% of the stateless app's CPU.
    commandOptions: { timeout: 0 },
    socket: {
      connectTimeout: STORE_DEADLINE_MS,
      // Keep trying for as long as it takes, at most a second apart, so the app heals by itself.
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
    },
  });
  // Without a listener, a connection error would crash the process; one line per outage is enough.
  let healthy = true;
  client.on("error", (error: Error) => {
    if (healthy) console.error(`redis: ${error.message || error.name}; reconnecting`);
    healthy = false;
  });
  client.on("ready", () => {
    if (!healthy) console.log("redis: connected again");
    healthy = true;
  });
  return client;
}

export type RedisClient = ReturnType<typeof createRedisClient>;

/**
 * A client that starts connecting at once and goes on trying in the background: an app server
 * starts even while Redis is down (its /readyz says 503 and requests get STORE_UNAVAILABLE until
 * Redis answers), rather than refusing to start.
 */
export function connectInBackground(url: string): RedisClient {
  const client = createRedisClient(url);
  client.connect().catch(() => undefined);
  return client;
}

/**
 * Runs a store operation within the stores' deadline; failing to reach Redis becomes
 * StoreUnavailableError. (A write that missed the deadline may still be applied when Redis wakes
 * up; the client was told 503, and a retry of an add would add twice.)
 */
export function storeCall<T>(operation: () => Promise<T>): Promise<T> {
  // A Redis error reply is a bug of ours (500), not an outage.
  return withinStoreDeadline(operation, { isAnswer: (error) => error instanceof ErrorReply });
}

export async function isRedisReady(redis: RedisClient): Promise<boolean> {
  try {
    return (await storeCall(() => redis.ping())) === "PONG";
  } catch {
    return false;
  }
}
