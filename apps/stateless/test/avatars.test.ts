// The avatar, done right: the picture is in object storage, so every server serves the same bytes. And when the object store stops answering, avatars fail
// fast and honestly (503 within 1.5 s) while the shop carries on, and come back by themselves.
import { expectError, JPEG, NO_LOGIN_LIMITS, PNG } from "@cart/contract-suite";
import { LocalS3Server } from "@cart/local-infra";
import { createRedisClient } from "@cart/redis-kit";
import { ObjectStore, scratchBucket, type ScratchBucket } from "@cart/s3-kit";
import request from "supertest";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";
import { statelessInstances, testDatabase } from "./instances";

const ALICE = { username: "alice", password: "pepperoni" };

async function aliceOn(app: ReturnType<typeof createApp>) {
  const alice = request.agent(app);
  await alice.post("/auth/login").send(ALICE).expect(200);
  return alice;
}

describe("stateless avatars", () => {
  const { instance } = statelessInstances();
  const servers = ["stateless-1", "stateless-2", "stateless-3"].map((id) => instance(id));

  it("are served by every server, byte for byte with the same ETag, whichever took the upload", async () => {
    await (await aliceOn(servers[0]!)).put("/me/avatar").set("content-type", "image/png").send(PNG).expect(200);
    const etags = new Set<string>();
    for (const server of servers) {
      const served = await request(server).get("/users/alice/avatar").responseType("blob").expect(200);
      expect(Buffer.compare(served.body as Buffer, PNG)).toBe(0);
      etags.add(served.headers.etag!);
    }
    expect(etags.size).toBe(1);
  });
});

describe("stateless avatars when the object store stops answering", () => {
  // An S3 server of this file's own, since it freezes it.
  const database = testDatabase();
  const redis = createRedisClient(process.env.REDIS_URL!);
  let s3: LocalS3Server;
  let bucket: ScratchBucket;
  let store: ObjectStore;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    s3 = await LocalS3Server.start();
    bucket = scratchBucket({
      endpoint: s3.endpoint,
      region: LocalS3Server.region,
      bucket: "unused",
      credentials: LocalS3Server.credentials,
      forcePathStyle: true,
    });
    await Promise.all([bucket.create(), redis.connect()]);
    store = new ObjectStore(bucket.config);
    const env = {
      NODE_ENV: "test",
      REDIS_URL: process.env.REDIS_URL!,
      DATABASE_URL: database.url,
      S3_BUCKET: "unused",
      KITCHEN_WORKERS: "0",
    };
    app = createApp(loadConfig({ ...env, ...NO_LOGIN_LIMITS }), {
      redis,
      database: database.open(),
      objectStore: store,
    });
  });

  afterAll(async () => {
    store.close();
    await redis.close();
    await s3.stop();
  });

  it("answers 503 STORE_UNAVAILABLE within 1.5 s, keeps the shop serving, and recovers by itself", async () => {
    const alice = await aliceOn(app);
    await alice.put("/me/avatar").set("content-type", "image/png").send(PNG).expect(200);
    s3.freeze();
    try {
      for (const attempt of [
        () => alice.put("/me/avatar").set("content-type", "image/jpeg").send(JPEG),
        () => request(app).get("/users/alice/avatar"),
      ]) {
        const started = Date.now();
        expectError(await attempt(), 503, "STORE_UNAVAILABLE");
        expect(Date.now() - started).toBeLessThan(1500);
      }
      await alice.post("/cart/items").send({ sku: "coke", quantity: 1 }).expect(200);
      await request(app).get("/readyz").expect(503);
    } finally {
      s3.resume();
    }
    for (let tries = 0; (await request(app).get("/readyz")).status !== 200; tries++) {
      if (tries === 50) throw new Error("the object store did not come back within 5 s");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The upload the app gave up on reached the store, and may have landed when it woke up: but
    // whole or not at all, as on S3. The avatar is one of the two pictures, never half of one.
    const served = await request(app).get("/users/alice/avatar").responseType("blob").expect(200);
    expect([PNG, JPEG].some((picture) => picture.equals(served.body as Buffer))).toBe(true);
  });
});
