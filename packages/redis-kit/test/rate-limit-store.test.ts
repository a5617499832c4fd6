// The login counters in Redis (express-rate-limit's store), on the test run's Redis: counted
// across instances, and a window that opens with the first failure, never with a login that
// worked (else an attacker could meet a window about to end, and get twice the limit through).
import type { Options } from "express-rate-limit";
import { createRedisClient, RedisRateLimitStore, type RedisClient } from "../src";

const WINDOW_MS = 60_000;
let redis: RedisClient;
let prefix: string;

beforeAll(async () => {
  redis = createRedisClient(process.env.REDIS_URL!);
  await redis.connect();
});
afterAll(() => redis.close());
beforeEach(() => {
  prefix = `test:rl-${process.pid}-${Math.random().toString(36).slice(2)}:`;
});

function store(): RedisRateLimitStore {
  const counters = new RedisRateLimitStore(redis, prefix);
  counters.init({ windowMs: WINDOW_MS } as Options);
  return counters;
}

describe("RedisRateLimitStore", () => {
  it("counts one limit for every instance: two stores on one Redis add up", async () => {
    await store().increment("alice");
    const { totalHits, resetTime } = await store().increment("alice");
    expect(totalHits).toBe(2);
    expect(resetTime!.getTime() - Date.now()).toBeGreaterThan(WINDOW_MS - 5000);
  });

  it("leaves nothing behind for a request taken back (a login that worked): no window opens", async () => {
    const counters = store();
    await counters.increment("alice");
    await counters.decrement("alice");
    expect(await redis.exists(`${prefix}alice`)).toBe(0);
    expect(await counters.get("alice")).toBeUndefined();
  });

  it("keeps the failures and their window when one request of several is taken back", async () => {
    const counters = store();
    await counters.increment("alice");
    await counters.increment("alice");
    await counters.decrement("alice");
    expect(await counters.get("alice")).toMatchObject({ totalHits: 1 });
    expect(await redis.pTTL(`${prefix}alice`)).toBeGreaterThan(WINDOW_MS - 5000);
  });
});
