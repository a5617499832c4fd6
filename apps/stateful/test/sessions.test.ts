// The lesson, as tests: a stateful session exists only in the memory of the instance that made it.
import { expectError } from "@cart/contract-suite";
import request from "supertest";
import { InMemoryCartRepository } from "../src/cart-repository";
import { statefulInstance } from "./instances";

const ALICE = { username: "alice", password: "pepperoni" };

function sessionCookie(response: request.Response): string {
  const cookies = response.headers["set-cookie"] as unknown as string[];
  return cookies.find((cookie) => cookie.startsWith("sid="))!.split(";")[0]!;
}

describe("stateful sessions", () => {
  const first = statefulInstance("stateful-1");
  const second = statefulInstance("stateful-2");

  describe("a session created on stateful-1", () => {
    it("works on stateful-1, with Alice's cart", async () => {
      const cookie = sessionCookie(await request(first).post("/auth/login").send(ALICE).expect(200));
      await request(first)
        .post("/cart/items")
        .set("Cookie", cookie)
        .send({ sku: "pepperoni-pizza", quantity: 1 })
        .expect(200);
      expect((await request(first).get("/cart").set("Cookie", cookie)).body.items).toHaveLength(1);
    });

    it("is unknown to stateful-2, which says so plainly", async () => {
      const cookie = sessionCookie(await request(first).post("/auth/login").send(ALICE).expect(200));
      const response = await request(second).get("/cart").set("Cookie", cookie);
      expectError(response, 401, "UNKNOWN_SESSION");
      expect(response.body.error.message).toMatch(/stateful-2 does not know this session/);
      expect(response.headers["x-served-by"]).toBe("stateful-2");
    });
  });

  describe("login", () => {
    it("issues a new session id each time, so a planted id is worth nothing (no fixation)", async () => {
      const agent = request.agent(first);
      const before = sessionCookie(await agent.post("/auth/login").send(ALICE).expect(200));
      const after = sessionCookie(await agent.post("/auth/login").send(ALICE).expect(200));
      expect(after).not.toBe(before);
      expect((await request(first).get("/me").set("Cookie", before)).status).toBe(401);
    });

    it("ignores a forged session cookie sent with the login", async () => {
      const response = await request(first).post("/auth/login").set("Cookie", "sid=s%3Aattacker.forged").send(ALICE);
      expect(sessionCookie(response)).not.toContain("attacker");
    });
  });

  describe("a session cookie with a tampered signature", () => {
    it("is refused with 401", async () => {
      const cookie = sessionCookie(await request(first).post("/auth/login").send(ALICE).expect(200));
      const tampered = cookie.slice(0, -3) + (cookie.endsWith("AAA") ? "BBB" : "AAA");
      expectError(await request(first).get("/me").set("Cookie", tampered), 401, "UNKNOWN_SESSION");
    });
  });
});

describe("stateful memory", () => {
  // Fake clocks: the sweep runs every minute, sessions here live 10 s.
  beforeEach(() => jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] }));
  afterEach(() => jest.useRealTimers());

  it("holds one session per logged-in user, and forgets the expired ones within a minute", async () => {
    const app = statefulInstance("stateful-ttl", { SESSION_TTL_SECONDS: "10" });
    for (let i = 0; i < 3; i++) await request(app).post("/auth/login").send(ALICE).expect(200);
    expect((await request(app).get("/healthz")).body.sessionsInMemory).toBe(3);

    jest.advanceTimersByTime(61_000);
    expect((await request(app).get("/healthz")).body.sessionsInMemory).toBe(0);
  });

  it("ends a session when its cookie expires, however much it was used meanwhile", async () => {
    const app = statefulInstance("stateful-ttl", { SESSION_TTL_SECONDS: "10" });
    const cookie = sessionCookie(await request(app).post("/auth/login").send(ALICE).expect(200));
    jest.advanceTimersByTime(6_000);
    await request(app).get("/me").set("Cookie", cookie).expect(200);
    jest.advanceTimersByTime(5_000);
    expectError(await request(app).get("/me").set("Cookie", cookie), 401, "UNKNOWN_SESSION");
  });

  it("lets a cart expire with its session", async () => {
    const carts = new InMemoryCartRepository(10);
    await carts.add("session-1", "coke", 2);
    jest.advanceTimersByTime(9_000);
    expect(await carts.lines("session-1")).toHaveLength(1);
    jest.advanceTimersByTime(2_000);
    expect(await carts.lines("session-1")).toEqual([]);
  });
});
