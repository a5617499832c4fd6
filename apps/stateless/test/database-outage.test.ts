// When PostgreSQL stops answering, what needs it (orders, store credit, checkout) fails fast and
// honestly (503 within 1.5 s) and charges nothing, what does not need it (the cart, in Redis)
// carries on, and everything comes back by itself when the database does.
import { expectError, NO_LOGIN_LIMITS } from "@cart/contract-suite";
import { LocalPostgresServer } from "@cart/local-infra";
import { createPgPool, databaseOf, scratchDatabase, type Database, type ScratchDatabase } from "@cart/pg-kit";
import { createRedisClient } from "@cart/redis-kit";
import type { Express } from "express";
import request from "supertest";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";
import { prepareDatabase } from "../src/database";
import { testBucket } from "./instances";

// A PostgreSQL of this file's own, since it freezes it.
let postgres: LocalPostgresServer;
let scratch: ScratchDatabase;
let database: Database;
const redis = createRedisClient(process.env.REDIS_URL!);
const bucket = testBucket();

/** An instance on the run's Redis, with login limits out of the way (other files' failed logins count there). */
function appOn(db: Database): Express {
  const env = {
    NODE_ENV: "test",
    INSTANCE_ID: "stateless-1",
    REDIS_URL: process.env.REDIS_URL!,
    KITCHEN_WORKERS: "0",
    ...NO_LOGIN_LIMITS,
  };
  const config = loadConfig({ ...env, ...bucket.env, DATABASE_URL: scratch.url });
  return createApp(config, { redis, database: db, objectStore: bucket.open() });
}

beforeAll(async () => {
  postgres = await LocalPostgresServer.start();
  scratch = scratchDatabase(postgres.url());
  await scratch.create();
  const pool = createPgPool(scratch.url);
  database = databaseOf(pool, prepareDatabase(pool));
  await Promise.all([database.prepared, redis.connect()]);
});

afterAll(async () => {
  await Promise.all([database.pool.end(), redis.close()]);
  await postgres.stop();
});

async function loggedIn(app: Express, username: string, password: string) {
  const { token } = (await request(app).post("/auth/login").send({ username, password }).expect(200)).body;
  return {
    timed: async (method: "get" | "post", path: string, body?: object) => {
      const started = Date.now();
      const response = await request(app)[method](path).auth(token, { type: "bearer" }).send(body);
      return { response, ms: Date.now() - started };
    },
  };
}

async function eventually<T>(attempt: () => Promise<T | undefined>): Promise<T> {
  for (let tries = 0; tries < 50; tries++) {
    const result = await attempt();
    if (result !== undefined) return result;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the app did not recover after PostgreSQL came back");
}

describe("PostgreSQL frozen (SIGSTOP: connected but silent)", () => {
  it("answers 503 STORE_UNAVAILABLE within 1.5 s for the wallet and a checkout, charges nothing, keeps the cart, and recovers", async () => {
    const app = appOn(database);
    const carol = await loggedIn(app, "carol", "calzone");
    await carol.timed("post", "/cart/items", { sku: "coke", quantity: 1 });
    postgres.freeze();
    try {
      for (const [method, path] of [
        ["get", "/wallet"],
        ["post", "/checkout"],
        ["get", "/orders"],
      ] as const) {
        const { response, ms } = await carol.timed(method, path);
        expectError(response, 503, "STORE_UNAVAILABLE");
        expect(ms).toBeLessThan(1500);
      }
      // Redis still answers: the cart is there, and the shop says honestly that it is not ready.
      expect((await carol.timed("get", "/cart")).response.body.items).toEqual([
        expect.objectContaining({ sku: "coke", quantity: 1 }),
      ]);
      await request(app).get("/readyz").expect(503);
    } finally {
      postgres.resume();
    }
    const wallet = await eventually(async () => {
      const { response } = await carol.timed("get", "/wallet");
      return response.status === 200 ? (response.body as { balanceCents: number }) : undefined;
    });
    expect(wallet.balanceCents).toBe(10000);
    expect((await carol.timed("post", "/checkout")).response.status).toBe(201);
    expect((await carol.timed("get", "/wallet")).response.body.balanceCents).toBe(10000 - 299);
    await request(app).get("/readyz").expect(200);
  });
});

describe("a database that is not prepared yet (unreachable at start, or still migrating)", () => {
  it("answers 503 STORE_UNAVAILABLE within 1.5 s, and /readyz 503, while the cart works", async () => {
    const app = appOn(databaseOf(database.pool, new Promise<void>(() => undefined)));
    const bob = await loggedIn(app, "bob", "margherita");
    const { response, ms } = await bob.timed("get", "/wallet");
    expectError(response, 503, "STORE_UNAVAILABLE");
    expect(ms).toBeLessThan(1500);
    expect((await bob.timed("post", "/cart/items", { sku: "coke", quantity: 1 })).response.status).toBe(200);
    await request(app).get("/readyz").expect(503);
  });
});
