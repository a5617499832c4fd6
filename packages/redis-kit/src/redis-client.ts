// A Redis connection for an app that keeps all its state there. Tuned to fail fast: an
// operation sent while the connection is down fails at once, one that gets no answer within a
// second fails then (STORE_UNAVAILABLE, 503), and the queue of unanswered commands is bounded,
// so a hung Redis never hangs a request or grows memory without limit.
//
// Through Sentinel (a `redis-sentinel://` URL) the same client follows the primary: node-redis asks
// the Sentinels where it is, and after a failover sends to the replica they promoted. Once its
// primary is gone it asks them again once a second (node-redis 6.3's fixed pace), so it finds the
// new one up to a second after they switched. It has no switch to refuse commands while it looks:
// they wait for the new primary (the caller has its 503 at the deadline), and run when it is found.
import { STORE_DEADLINE_MS, timedStore, withinStoreDeadline } from "@cart/domain";
import { createClient, createSentinel, ErrorReply } from "@redis/client";
import { subscriptionsPending } from "./pending-subscriptions";
import { sentinelLocation, type SentinelLocation } from "./redis-url";

const MAX_PENDING_COMMANDS = 1000;

const nodeOptions = {
  disableOfflineQueue: true,
  commandsQueueMaxLength: MAX_PENDING_COMMANDS,
  socket: {
    connectTimeout: STORE_DEADLINE_MS,
    // Keep trying for as long as it takes, at most a second apart, so the app heals by itself.
    reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
  },
};
// storeCall's deadline covers every command; node-redis's own (5 s, an AbortSignal.timeout
// made per command) would only repeat it, and cost 3% of the stateless app's CPU.
const commandOptions = { timeout: 0 };

const singleClient = (url: string) => createClient({ url, ...nodeOptions, commandOptions });

const sentinelClient = ({ sentinels, name }: SentinelLocation) =>
  createSentinel({
    name,
    sentinelRootNodes: sentinels.map(({ host, port }) => ({ host, port })),
    // RESP2, as a single client speaks: the same replies, so the app's code is the same for both.
    RESP: 2,
    nodeClientOptions: nodeOptions,
    commandOptions,
    // One connection to the primary, shared by every request (pipelined): a WAIT after a write
    // goes over the connection that made it (see replicated.ts).
    masterPoolSize: 1,
    // Never give up looking for the primary (node-redis stops after 16 tries, a second apart, and
    // ends the client): the app heals by itself, as with a single Redis.
    maxCommandRediscovers: Number.POSITIVE_INFINITY,
    passthroughClientErrorEvents: true,
  });

export type RedisClient = ReturnType<typeof singleClient> | ReturnType<typeof sentinelClient>;

export function createRedisClient(url: string): RedisClient {
  const sentinel = sentinelLocation(url);
  const client = sentinel ? sentinelClient(sentinel) : singleClient(url);
  // Without a listener, a connection error would crash the process; one line per outage is enough.
  let healthy = true;
  client.on("error", (error: Error) => {
    if (healthy) console.error(`redis: ${error.message || error.name}; reconnecting`);
    healthy = false;
  });
  // A Sentinel client is "ready" again once it has found the new primary.
  client.on("ready", () => {
    if (!healthy) console.log("redis: connected again");
    healthy = true;
  });
  return client;
}

/** Whether the client reaches Redis through Sentinel (and so follows a failover by itself). */
export const throughSentinel = (client: RedisClient): client is ReturnType<typeof sentinelClient> =>
  "getMasterNode" in client;

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
  return timedStore("redis", () =>
    withinStoreDeadline(operation, { isAnswer: (error) => error instanceof ErrorReply }),
  );
}

/** For /readyz: Redis answers, and every channel the client listens on (subscribe) is subscribed. */
export async function isRedisReady(redis: RedisClient): Promise<boolean> {
  if (subscriptionsPending(redis)) return false;
  try {
    return (await storeCall(() => redis.ping())) === "PONG";
  } catch {
    return false;
  }
}

/**
 * Runs a Lua script on Redis, which runs it atomically (no other command runs meanwhile, from any
 * server): `keys` as it reads them (KEYS), and `args` (ARGV), sent as strings. Within the stores'
 * deadline, as storeCall.
 */
export function runScript(
  redis: RedisClient,
  script: string,
  keys: string[],
  args: (string | number)[],
): Promise<unknown> {
  return storeCall(() => redis.eval(script, { keys, arguments: args.map(String) }));
}

/**
 * Runs `task` every `ms` for as long as `redis` is open (a server stopping, a test's instance
 * closed, ends it). A round that fails, on an outage the client reports itself, is left to the next.
 */
export function everyWhileOpen(redis: RedisClient, ms: number, task: () => Promise<unknown>): void {
  const timer = setInterval(() => void task().catch(() => undefined), ms).unref();
  redis.once("end", () => clearInterval(timer));
}
