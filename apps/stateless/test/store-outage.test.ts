// When Redis stops answering, the stateless app fails fast and honestly (503, well within
// 1.5 s), stays alive, and heals by itself when Redis is back: nothing hangs, nothing crashes.
import { expectError, listening, openChat } from "@cart/contract-suite";
import { LocalRedisServer } from "@cart/local-infra";
import request from "supertest";
import { shopperOnRedis } from "./shopper-on-redis";

// Its own Redis, since this file freezes and restarts it (and a database of its own).
let redis: LocalRedisServer;
beforeAll(async () => {
  redis = await LocalRedisServer.start();
});
const shop = shopperOnRedis(() => redis.url);
// After the app's client is closed (hooks run in the order they were added).
afterAll(() => redis.stop());
const { timed } = shop;
const expectCartBack = () => shop.cartBack();

describe("Redis frozen (SIGSTOP: connected but silent)", () => {
  it("answers 503 STORE_UNAVAILABLE within 1.5 s, keeps /healthz at 200 and /readyz at 503, then recovers with the cart intact", async () => {
    redis.freeze();
    try {
      const { response, ms } = await timed("/cart");
      expectError(response, 503, "STORE_UNAVAILABLE");
      expect(ms).toBeLessThan(1500);
      await request(shop.app).get("/healthz").expect(200);
      await request(shop.app).get("/readyz").expect(503);
    } finally {
      redis.resume();
    }
    expect((await expectCartBack()).items).toEqual([expect.objectContaining({ sku: "pepperoni-pizza", quantity: 1 })]);
    await request(shop.app).get("/readyz").expect(200);
  });
});

describe("Redis frozen under an open chat socket", () => {
  it("answers a frame with a STORE_UNAVAILABLE error frame within 1.5 s, and the socket stays open", async () => {
    const { url, server } = await listening(shop.app, "stateless-1");
    const chat = await openChat(url, { authorization: `Bearer ${shop.token}` });
    try {
      redis.freeze();
      const started = Date.now();
      chat.send({ type: "send", to: "bob", text: "Anyone?" });
      try {
        await chat.next((frame) => frame.type === "error" && frame.code === "STORE_UNAVAILABLE", 1500);
      } finally {
        redis.resume();
      }
      expect(Date.now() - started).toBeLessThan(1500);
      await expectCartBack();
      chat.send({ type: "send", to: "bob", text: "Back?" });
      await chat.next((frame) => frame.type === "message" && frame.text === "Back?");
    } finally {
      chat.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("Redis gone (stopped, then started again on the same port)", () => {
  it("answers 503 at once while it is gone, and serves again once it is back", async () => {
    await redis.halt();
    try {
      const { response, ms } = await timed("/cart");
      expectError(response, 503, "STORE_UNAVAILABLE");
      expect(ms).toBeLessThan(1500);
    } finally {
      await redis.startAgain();
    }
    // This Redis keeps nothing on disk, so the session did not survive: an honest 401, not a 503.
    for (let attempt = 0; attempt < 40; attempt++) {
      const { response } = await timed("/me");
      if (response.status !== 503) return expectError(response, 401, "SESSION_ENDED");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("the app did not recover after Redis restarted");
  });
});
