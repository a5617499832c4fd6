// Redis through Sentinel, on a private group (a primary, a replica, three Sentinels): the client
// follows a failover by itself, its subscriptions come back on the new primary, and WAIT says
// whether a replica has a write.
import { StoreUnavailableError } from "@cart/domain";
import { LocalRedisSentinelGroup, LocalRedisServer, waitUntil } from "@cart/local-infra";
import { createRedisClient, replicated, sentinelLocation, storeCall, subscribe, type RedisClient } from "../src";

jest.setTimeout(60_000);

describe("sentinelLocation", () => {
  it("reads the Sentinels and the primary's name from a redis-sentinel:// URL", () => {
    expect(sentinelLocation("redis-sentinel://127.0.0.1:26379,sentinel-2.internal:26380#shop")).toEqual({
      sentinels: [
        { host: "127.0.0.1", port: 26379 },
        { host: "sentinel-2.internal", port: 26380 },
      ],
      name: "shop",
    });
  });

  it.each([
    "redis://127.0.0.1:6379",
    "redis-sentinel://127.0.0.1:26379",
    "redis-sentinel://127.0.0.1#shop",
    "redis-sentinel://127.0.0.1:99999#shop",
    "redis-sentinel://#shop",
  ])("is undefined for %s", (url) => {
    expect(sentinelLocation(url)).toBeUndefined();
  });
});

describe("a client through Sentinel", () => {
  let group: LocalRedisSentinelGroup;
  let redis: RedisClient;
  beforeAll(async () => {
    group = await LocalRedisSentinelGroup.start();
    redis = createRedisClient(group.url);
    await redis.connect();
  });
  afterAll(async () => {
    await redis?.close();
    await group?.stop();
  });

  it("follows the primary the Sentinels promote after a kill -9, and listens on its channels again", async () => {
    const heard: string[] = [];
    subscribe(redis, { news: (message) => heard.push(message) });
    await waitUntil(async () => (await redis.publish("news", "before")) > 0, 5000, "never subscribed");
    await redis.set("written-before", "1");
    await replicated(redis, 1);

    const { rejoined } = await group.killPrimary();
    const killedAt = Date.now();
    await waitUntil(() => storeCall(() => redis.set("written-after", "1")).then(() => true), 10_000, "no failover");
    // Sentinel decides in about 2 s here; node-redis looks again once a second.
    expect(Date.now() - killedAt).toBeLessThan(5000);
    expect(await redis.get("written-before")).toBe("1");

    await waitUntil(async () => (await redis.publish("news", "after")) > 0, 5000, "never subscribed again");
    await waitUntil(async () => heard.includes("after"), 2000, "heard nothing after the failover");
    await rejoined;
  });

  it("resolves replicated() once a replica has the write", async () => {
    await group.inSync(10_000);
    await redis.set("confirmed", "1");
    await expect(replicated(redis, 1)).resolves.toBeUndefined();
  });
});

describe("replicated() on a Redis without replicas", () => {
  let server: LocalRedisServer;
  let redis: RedisClient;
  beforeAll(async () => {
    server = await LocalRedisServer.start();
    redis = createRedisClient(server.url);
    await redis.connect();
  });
  afterAll(async () => {
    await redis?.close();
    await server?.stop();
  });

  it("refuses with STORE_UNAVAILABLE (a 503) when no replica confirms in time", async () => {
    await redis.set("unconfirmed", "1");
    const refused = await replicated(redis, 1).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    expect(String((refused as Error).cause)).toMatch(/0 of 1 replica\(s\) confirmed the write within 250 ms/);
  });

  it("asks nothing when no replica is wanted (REDIS_WAIT_REPLICAS=0, the default)", async () => {
    await expect(replicated(redis, 0)).resolves.toBeUndefined();
  });
});
