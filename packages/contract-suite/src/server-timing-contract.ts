// Server-Timing, as both apps promise it: every answer says which stores the request used, for
// how long and in how many operations, and how long it took in all. The one way the apps differ
// is the lesson itself: where that state lives.
import { readServerTiming } from "@cart/http-kit";
import request from "supertest";
import type { ContractClient } from "./client";

/** Where each app keeps what these requests touch. */
const WHERE = {
  stateful: { cart: ["memory"], wallet: ["memory"], avatar: ["disk"] },
  stateless: { cart: ["redis"], wallet: ["redis", "postgres"], avatar: ["s3"] },
} as const;

export function describeServerTiming({ name, app, loggedIn }: ContractClient): void {
  const where = WHERE[name];
  const storesOf = (header: string | undefined) => readServerTiming(header).stores.map((timing) => timing.store);

  describe("Server-Timing", () => {
    it("comes with every answer, a refusal and an unknown path too, with the time it took in all", async () => {
      for (const response of [
        await request(app).get("/healthz"),
        await request(app).get("/cart"),
        await request(app).get("/no-such-path"),
      ]) {
        const { totalMs } = readServerTiming(response.headers["server-timing"]);
        expect(totalMs).toBeGreaterThanOrEqual(0);
      }
    });

    it(`names where the state is: ${where.cart.join(", ")} for the cart, ${where.wallet.join(" and ")} for the wallet, ${where.avatar.join(", ")} for an avatar`, async () => {
      const alice = await loggedIn("alice");
      const cart = await alice.get("/cart").expect(200);
      expect(storesOf(cart.headers["server-timing"])).toEqual(where.cart);
      const wallet = await alice.get("/wallet").expect(200);
      expect(storesOf(wallet.headers["server-timing"])).toEqual(where.wallet);
      const avatar = await request(app).get("/users/bob/avatar");
      expect(storesOf(avatar.headers["server-timing"])).toEqual(where.avatar);
    });

    it(`counts the store round trips made one after another: ${name === "stateful" ? "none, the state is in the process" : "one or more"}`, async () => {
      const alice = await loggedIn("alice");
      const { roundTripsInSequence } = readServerTiming(
        (await alice.get("/wallet").expect(200)).headers["server-timing"],
      );
      if (name === "stateful") expect(roundTripsInSequence).toBe(0);
      else expect(roundTripsInSequence).toBeGreaterThanOrEqual(1);
    });

    it("says how long each store took and in how many operations, within the total", async () => {
      const alice = await loggedIn("alice");
      const { stores, totalMs } = readServerTiming((await alice.get("/wallet").expect(200)).headers["server-timing"]);
      for (const timing of stores) {
        expect(timing.operations).toBeGreaterThanOrEqual(1);
        expect(timing.ms).toBeGreaterThanOrEqual(0);
        expect(timing.ms).toBeLessThanOrEqual(totalMs!);
      }
    });
  });
}
