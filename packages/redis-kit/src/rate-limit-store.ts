// express-rate-limit's counters in Redis, so that every instance counts against one limit. Ours
// rather than rate-limit-redis 6: that store loads its Lua script once, when the limiter is
// created, and never again if Redis was down then (and our instances start before Redis answers).
// One MULTI per attempt is enough: INCR, set the window's expiry if not set yet, read what is left.
// A request that succeeds is taken back (express-rate-limit's skipSuccessfulRequests); back at
// zero the counter is deleted, so that a window opens with the first failure, not with a login
// that worked: a brute-force attempt then always meets a whole window of LOGIN_MAX_FAILURES.
import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from "express-rate-limit";
import { storeCall, type RedisClient } from "./redis-client";

// KEYS[1] counter → what is left; at zero (or less) the counter and its window are gone.
const DECREMENT = `
local left = redis.call('DECR', KEYS[1])
if left <= 0 then redis.call('DEL', KEYS[1]) end
return left`;

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
    // One script, so that no failure counted in between is deleted with the window.
    await storeCall(() => this.redis.eval(DECREMENT, { keys: [this.prefix + key] }));
  }

  async resetKey(key: string): Promise<void> {
    await storeCall(() => this.redis.del(this.prefix + key));
  }
}
