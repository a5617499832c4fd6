// One stateless app in this test process on a Redis a test file faults (frozen, stopped, or reached
// through a delay proxy that it cuts), on a database and a bucket of the file's own; alice logged
// in with a pepperoni pizza in her cart, and the ways to ask for it. No login limits: on the test
// run's shared Redis, other files' logins (wrong ones, and right ones while they run) count on the
// same counters, and would lock alice out here now and then.
import { NO_LOGIN_LIMITS } from "@cart/contract-suite";
import request from "supertest";
import { createRedisClient } from "@cart/redis-kit";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";
import { testBucket, testDatabase } from "./instances";

/** `redisUrl` is asked once the file's beforeAll hooks before this one have run (its Redis started). */
export function shopperOnRedis(redisUrl: () => string) {
  const database = testDatabase();
  const bucket = testBucket();
  let client: ReturnType<typeof createRedisClient>;
  let app: ReturnType<typeof createApp>;
  let token: string;

  beforeAll(async () => {
    client = createRedisClient(redisUrl());
    await client.connect();
    const config = loadConfig({
      NODE_ENV: "test",
      INSTANCE_ID: "stateless-1",
      REDIS_URL: redisUrl(),
      DATABASE_URL: database.url,
      KITCHEN_WORKERS: "0",
      ...NO_LOGIN_LIMITS,
      ...bucket.env,
    });
    app = createApp(config, { redis: client, database: database.open(), objectStore: bucket.open() });
    // Said here if it fails (a 429 from the login limits, say), not as every later request's 401.
    const login = await request(app).post("/auth/login").send({ username: "alice", password: "pepperoni" });
    if (login.status !== 200) throw new Error(`alice's login: ${login.status} ${JSON.stringify(login.body)}`);
    token = login.body.token;
    await request(app)
      .post("/cart/items")
      .auth(token, { type: "bearer" })
      .send({ sku: "pepperoni-pizza", quantity: 1 })
      .expect(200);
  });

  afterAll(async () => {
    await client.close().catch(() => client.destroy());
  });

  /** alice's GET of `path`, and how long it took. */
  async function timed(path: string) {
    const started = Date.now();
    const response = await request(app).get(path).auth(token, { type: "bearer" });
    return { response, ms: Date.now() - started };
  }

  return {
    get app() {
      return app;
    },
    get token() {
      return token;
    },
    timed,
    /** alice's cart, once the app answers for it again (it reconnects at most a second apart). */
    async cartBack(): Promise<{ items: unknown[] }> {
      for (let attempt = 0; attempt < 40; attempt++) {
        const { response } = await timed("/cart");
        if (response.status === 200) return response.body;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error("the app did not recover once Redis answered again");
    },
  };
}
