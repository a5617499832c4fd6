// express-rate-limit's counters in Redis, so that every instance counts against one limit. Ours
// rather than rate-limit-redis 6: that store loads its Lua script once, when the limiter is
// created, and never again if Redis was down then (and our instances start before Redis answers).
// One MULTI per attempt is enough: INCR, set the window's expiry if not set yet, read what is left.
import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from "express-rate-limit";
import { storeCall, type RedisClient } from "./redis-client";

export class RedisRateLimitStore implements Store {
  // Counters are shared by every instance: express-rate-limit must not assume they are local.
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly redis: RedisClient,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const k = this.prefix + key;
    const [hits, ttl] = await storeCall(() => this.redis.multi().get(k).pTTL(k).exec());
    if (hits === null) return undefined;
    return { totalHits: Number(hits), resetTime: new Date(Date.now() + Number(ttl)) };
  }

  async increment(key: string): Promise<IncrementResponse> {
    const k = this.prefix + key;
    const [hits, , ttl] = await storeCall(() =>
      this.redis.multi().incr(k).pExpire(k, this.windowMs, "NX").pTTL(k).exec(),
    );
    return { totalHits: Number(hits), resetTime: new Date(Date.now() + Number(ttl)) };
  }

  async decrement(key: string): Promise<void> {
    await storeCall(() => this.redis.decr(this.prefix + key));
  }

  async resetKey(key: string): Promise<void> {
    await storeCall(() => this.redis.del(this.prefix + key));
  }
}
