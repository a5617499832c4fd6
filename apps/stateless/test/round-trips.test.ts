// How many round trips a request makes to each store, as Server-Timing counts them: a Redis
// command or pipelined batch is one, and so is each SQL statement awaited before the next is sent
// (a transaction's BEGIN and COMMIT included); statements sent together are one. Distance is paid once per round trip (docs/reports.md, --store-rtt): these are
// the counts to keep down.
import { readServerTiming } from "@cart/http-kit";
import request from "supertest";
import { shopperOnRedis } from "./shopper-on-redis";

const shop = shopperOnRedis(() => process.env.REDIS_URL!);

async function checkOut(sku: string) {
  const cart = request(shop.app).post("/cart/items").auth(shop.token, { type: "bearer" });
  await cart.send({ sku, quantity: 1 }).expect(200);
  const checkout = await request(shop.app).post("/checkout").auth(shop.token, { type: "bearer" }).expect(201);
  const stores = readServerTiming(checkout.headers["server-timing"]).stores;
  return Object.fromEntries(stores.map(({ store, operations }) => [store, operations]));
}

describe("a stateless checkout's round trips", () => {
  it("sends its transaction in one: BEGIN, the order with its debit and ledger line, a pizza's kitchen job, COMMIT", async () => {
    // alice's cart already holds a pizza. The server's first kitchen job also starts the queue and
    // reads its settings (pg-boss keeps them after): the counts below are every later checkout's.
    await request(shop.app).post("/checkout").auth(shop.token, { type: "bearer" }).expect(201);
    const coke = await checkOut("coke");
    expect(coke.postgres).toBe(1);
    expect((await checkOut("margherita-pizza")).postgres).toBe(1);
    // The session, the cart and its order's id (one script), the cart settled (one script).
    expect(coke.redis).toBe(3);
  });
});
