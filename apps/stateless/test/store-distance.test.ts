// The stateless app with Redis a network's distance away (local-infra's delay proxy in front of the
// test run's Redis): each round trip costs the distance, which Server-Timing shows; and the proxy
// cut or frozen is an outage like the store's own, answered by a fast 503 and healed by itself.
import { expectError } from "@cart/contract-suite";
import { DelayProxy } from "@cart/local-infra";
import request from "supertest";
import { shopperOnRedis } from "./shopper-on-redis";

const ROUND_TRIP_MS = 2;
let proxy: DelayProxy;
beforeAll(async () => {
  const redis = new URL(process.env.REDIS_URL!);
  proxy = await DelayProxy.start({
    target: { host: redis.hostname, port: Number(redis.port) },
    roundTripMs: ROUND_TRIP_MS,
  });
});
const shop = shopperOnRedis(() => `redis://${proxy.host}:${proxy.port}`);
// After the app's client is closed (hooks run in the order they were added).
afterAll(() => proxy.close());
const { timed } = shop;
const expectCartBack = () => shop.cartBack();

/** Server-Timing's Redis entry: `redis;dur=4.21;desc="2 operations"`. */
function redisTiming(header: string | undefined) {
  const match = /redis;dur=([\d.]+);desc="(\d+) operations?"/.exec(header ?? "");
  return match ? { ms: Number(match[1]), operations: Number(match[2]) } : undefined;
}

describe(`Redis ${ROUND_TRIP_MS} ms away`, () => {
  it("costs each request the distance, and Server-Timing says so", async () => {
    const timings = [];
    for (let i = 0; i < 11; i++) {
      const { response } = await timed("/cart");
      expect(response.status).toBe(200);
      timings.push(redisTiming(response.headers["server-timing"])!);
    }
    // Even the fastest request pays at least one round trip's distance (how close the proxy keeps
    // to what it was asked is its own tests' to check: here a busy machine adds its own delays).
    const fastest = timings.sort((a, b) => a.ms - b.ms)[0]!;
    expect(fastest.operations).toBeGreaterThan(0);
    expect(fastest.ms).toBeGreaterThanOrEqual(ROUND_TRIP_MS - 0.2);
  });

  it("frozen: 503 STORE_UNAVAILABLE within 1.5 s and /readyz 503, then the cart back once restored", async () => {
    proxy.freeze();
    try {
      const { response, ms } = await timed("/cart");
      expectError(response, 503, "STORE_UNAVAILABLE");
      expect(ms).toBeLessThan(1500);
      await request(shop.app).get("/readyz").expect(503);
    } finally {
      proxy.restore();
    }
    expect((await expectCartBack()).items).toEqual([expect.objectContaining({ sku: "pepperoni-pizza", quantity: 1 })]);
  });

  it("cut: a 503 STORE_UNAVAILABLE at once, then the cart back once restored", async () => {
    proxy.cut();
    try {
      const { response, ms } = await timed("/cart");
      expectError(response, 503, "STORE_UNAVAILABLE");
      // No waiting for the deadline: the connection is gone, and the client knows it.
      expect(ms).toBeLessThan(500);
    } finally {
      proxy.restore();
    }
    expect((await expectCartBack()).items).toEqual([expect.objectContaining({ sku: "pepperoni-pizza", quantity: 1 })]);
  });
});
