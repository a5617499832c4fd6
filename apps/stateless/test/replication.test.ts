// Redis replicated, as the stateless app sees it: a login that waits for a replica (REDIS_WAIT_REPLICAS)
// is refused while none confirms it, and survives the primary's death once one has; the app
// reaches Redis through Sentinel when REDIS_URL names them.
import { LocalRedisSentinelGroup } from "@cart/local-infra";
import { createRedisClient, type RedisClient } from "@cart/redis-kit";
import request from "supertest";
import { ConfigError } from "@cart/http-kit";
import { loadConfig } from "../src/config";
import { statelessInstances, testApp, testBucket, testDatabase } from "./instances";

jest.setTimeout(60_000);

const ALICE = { username: "alice", password: "pepperoni" };

describe("REDIS_WAIT_REPLICAS on a Redis without replicas (the test run's)", () => {
  const { instance } = statelessInstances();
  const waiting = instance("stateless-waits", { REDIS_WAIT_REPLICAS: "1" });
  const trusting = instance("stateless-trusts");

  it("refuses a login no replica confirmed: 503 STORE_UNAVAILABLE, and no token", async () => {
    const refused = await request(waiting).post("/auth/login").send(ALICE);
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe("STORE_UNAVAILABLE");
    expect(refused.body.token).toBeUndefined();
    expect(refused.headers["set-cookie"]).toBeUndefined();
  });

  it("is 0 by default: the same login is answered at once", async () => {
    await request(trusting).post("/auth/login").send(ALICE).expect(200);
  });
});

describe("the stateless app through Sentinel, waiting for a replica", () => {
  const database = testDatabase();
  const bucket = testBucket();
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

  it("keeps a login a replica confirmed when the primary dies (kill -9)", async () => {
    const stores = { redis, database: database.open(), objectStore: bucket.open() };
    const app = testApp("stateless-1", group.url, stores, { ...bucket.env, REDIS_WAIT_REPLICAS: "1" });
    const { token } = (await request(app).post("/auth/login").send(ALICE).expect(200)).body as { token: string };
    await request(app)
      .post("/cart/items")
      .set("authorization", `Bearer ${token}`)
      .send({ sku: "coke", quantity: 1 })
      .expect(200);

    const { rejoined } = await group.killPrimary();
    // Asked again and again, as a browser would while the Sentinels fail over.
    let cart: request.Response;
    const started = Date.now();
    do cart = await request(app).get("/cart").set("authorization", `Bearer ${token}`);
    while (cart.status === 503 && Date.now() - started < 10_000);
    expect(cart.status).toBe(200);
    await rejoined;
  });
});

describe("configuration", () => {
  const env = { NODE_ENV: "test", DATABASE_URL: "postgres://unused@127.0.0.1:1/x", S3_BUCKET: "avatars" };

  it("takes Sentinels as REDIS_URL=redis-sentinel://host:port,host:port#name", () => {
    const url = "redis-sentinel://10.0.0.1:26379,10.0.0.2:26379#shop";
    expect(loadConfig({ ...env, REDIS_URL: url, REDIS_WAIT_REPLICAS: "1" })).toMatchObject({
      redisUrl: url,
      redisWaitReplicas: 1,
    });
  });

  it("says what is wrong with a Sentinel URL without the primary's name, and with REDIS_WAIT_REPLICAS", () => {
    const wrong = () =>
      loadConfig({ ...env, REDIS_URL: "redis-sentinel://10.0.0.1:26379", REDIS_WAIT_REPLICAS: "one" });
    expect(wrong).toThrow(ConfigError);
    expect(wrong).toThrow(
      /REDIS_URL must look like redis:\/\/host:port, or redis-sentinel:\/\/host:port,host:port#primary-name/,
    );
    expect(wrong).toThrow(/REDIS_WAIT_REPLICAS must be a whole number/);
  });
});
