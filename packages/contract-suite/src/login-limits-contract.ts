// Login limits, as both apps promise them, and the one way they differ: whether the counters are
// shared by the instances of a cluster (in Redis) or kept by each (in its memory).
import type { Express } from "express";
import request from "supertest";
import { expectError } from "./expectations";

export interface LimitedAppHarness {
  readonly name: "stateful" | "stateless";
  /** Whether instances share their counters (the stateless app's are in Redis). */
  readonly sharesCounters: boolean;
  /** An instance with these limits; instances of one test file share the app's state store. */
  start(instanceId: string, env: Record<string, string>): Promise<Express>;
}

/** For the tests that are not about login limits: limits no test reaches. */
export const NO_LOGIN_LIMITS = { LOGIN_MAX_FAILURES: "1000000", LOGIN_MAX_FAILURES_PER_CLIENT: "1000000" };

const LIMITS = { LOGIN_MAX_FAILURES: "3", LOGIN_MAX_FAILURES_PER_CLIENT: "6", LOGIN_WINDOW_SECONDS: "60" };
const wrong = (username: string) => ({ username, password: "not-the-password" });

// Each test comes from its own address (X-Forwarded-For from the loopback proxy), so the
// per-client counters of one test do not spill into the next.
let lastAddress = 0;
const newAddress = () => `203.0.113.${++lastAddress}`;

export function describeLoginLimits(harness: LimitedAppHarness): void {
  describe(`login limits of the ${harness.name} app`, () => {
    it("refuses a username after 3 failed logins with 429 TOO_MANY_ATTEMPTS and Retry-After, even with the right password", async () => {
      const app = await harness.start(`${harness.name}-1`, LIMITS);
      const from = newAddress();
      for (let attempt = 0; attempt < 3; attempt++) {
        expectError(
          await request(app).post("/auth/login").set("X-Forwarded-For", from).send(wrong("alice")),
          401,
          "BAD_CREDENTIALS",
        );
      }
      const refused = await request(app)
        .post("/auth/login")
        .set("X-Forwarded-For", newAddress())
        .send({ username: "alice", password: "pepperoni" });
      expectError(refused, 429, "TOO_MANY_ATTEMPTS");
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(60);
    });

    it("counts failures only: bob logs in as often as he likes, and is not locked out by alice's failures", async () => {
      const app = await harness.start(`${harness.name}-1`, LIMITS);
      const from = newAddress();
      for (let attempt = 0; attempt < 5; attempt++) {
        await request(app)
          .post("/auth/login")
          .set("X-Forwarded-For", from)
          .send({ username: "bob", password: "margherita" })
          .expect(200);
      }
    });

    it("counts wrong passwords only: logins that were refused for another reason (400 here, 503 in a store outage) lock no one out", async () => {
      const app = await harness.start(`${harness.name}-1`, LIMITS);
      const from = newAddress();
      for (let attempt = 0; attempt < 7; attempt++) {
        const malformed = await request(app)
          .post("/auth/login")
          .set("X-Forwarded-For", from)
          .send({ username: "dave" });
        expect(malformed.status).toBe(400);
      }
      await request(app)
        .post("/auth/login")
        .set("X-Forwarded-For", from)
        .send({ username: "dave", password: "diavola" })
        .expect(200);
    });

    it("limits one address trying many usernames (6 failures), whoever it tries next", async () => {
      const app = await harness.start(`${harness.name}-1`, LIMITS);
      const from = newAddress();
      for (let attempt = 0; attempt < 6; attempt++) {
        const response = await request(app)
          .post("/auth/login")
          .set("X-Forwarded-For", from)
          .send(wrong(`guess-${attempt}`));
        expectError(response, 401, "BAD_CREDENTIALS");
      }
      const refused = await request(app).post("/auth/login").set("X-Forwarded-For", from).send(wrong("guess-next"));
      expectError(refused, 429, "TOO_MANY_ATTEMPTS");
      expect(refused.body.error.message).toMatch(/from this address/);
    });

    it(
      harness.sharesCounters
        ? "holds across instances: failures on one count on the other"
        : "does not hold across instances: each counts only the failures it saw (the lesson)",
      async () => {
        const first = await harness.start(`${harness.name}-1`, LIMITS);
        const second = await harness.start(`${harness.name}-2`, LIMITS);
        const user = `carol-${Date.now()}`;
        for (let attempt = 0; attempt < 3; attempt++) {
          await request(first).post("/auth/login").set("X-Forwarded-For", newAddress()).send(wrong(user)).expect(401);
        }
        const onSecond = await request(second)
          .post("/auth/login")
          .set("X-Forwarded-For", newAddress())
          .send(wrong(user));
        expect(onSecond.status).toBe(harness.sharesCounters ? 429 : 401);
      },
    );
  });
}
