// The contract for the kitchen: every order placed is cooked, placed → preparing → ready, by a
// worker of a server that says so (preparedBy), once. Dave places these orders: his credit never
// runs out, so the other specs' wallets are untouched.
import request from "supertest";
import type TestAgent from "supertest/lib/agent";
import { type ContractClient } from "./client";
import { expectError } from "./expectations";

interface KitchenView {
  id: string;
  status: "placed" | "preparing" | "ready";
  preparedBy?: string;
  createdAt: string;
  startedAt?: string;
  readyAt?: string;
  attempts: number;
  cooked: number;
}

/** How long the apps' kitchens take per pizza by default (KITCHEN_MS). */
const KITCHEN_MS = 500;
const READY_WITHIN_MS = 10_000;

/** Places an order of `pizzas` pizzas and a coke. */
async function placeOrder(agent: TestAgent, addItem: ContractClient["addItem"], pizzas: number): Promise<KitchenView> {
  await addItem(agent, { sku: "margherita-pizza", quantity: pizzas }).expect(200);
  await addItem(agent, { sku: "coke", quantity: 1 }).expect(200);
  return (await agent.post("/checkout").expect(201)).body.order as KitchenView;
}

/** Every status the order went through while it was asked about, until it was ready. */
async function followUntilReady(agent: TestAgent, id: string): Promise<{ seen: string[]; order: KitchenView }> {
  const seen: string[] = [];
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    const order = (await agent.get(`/orders/${id}`).expect(200)).body.order as KitchenView;
    if (seen.at(-1) !== order.status) seen.push(order.status);
    if (order.status === "ready" || Date.now() > deadline) return { seen, order };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function describeKitchen({ name, app, loggedIn, addItem }: ContractClient): void {
  // A server of the app: on the stateful one, the one that took the order (no other knows it); on
  // the stateless one, any of the test's instances (they share the queue).
  const aServer = expect.stringMatching(new RegExp(`^${name}-`));
  describe("the kitchen", () => {
    it("answers a checkout with the order placed, not yet started", async () => {
      const order = await placeOrder(await loggedIn("dave"), addItem, 1);
      expect(order).toMatchObject({ status: "placed", attempts: 0, cooked: 0 });
      expect(order).not.toHaveProperty("preparedBy");
    });

    it("cooks every order once, placed → preparing → ready, for KITCHEN_MS per pizza, and says which server's worker did", async () => {
      const dave = await loggedIn("dave");
      const placed = await placeOrder(dave, addItem, 2);
      const { seen, order } = await followUntilReady(dave, placed.id);
      expect(order).toMatchObject({ id: placed.id, status: "ready", preparedBy: aServer, attempts: 1, cooked: 1 });
      // Asked every 50 ms through a second of cooking, it was seen cooking (and maybe still waiting first).
      expect(seen.filter((status) => status !== "placed")).toEqual(["preparing", "ready"]);
      const [created, started, ready] = [order.createdAt, order.startedAt!, order.readyAt!].map(Date.parse);
      expect(started!).toBeGreaterThanOrEqual(created!);
      // Two pizzas; the coke takes no kitchen time.
      expect(ready! - started!).toBeGreaterThanOrEqual(2 * KITCHEN_MS - 5);
    });

    it("hands an order with nothing to cook (a drink) to no one: it is ready when placed, and stays as it was", async () => {
      const dave = await loggedIn("dave");
      await addItem(dave, { sku: "coke", quantity: 2 }).expect(200);
      const placed = (await dave.post("/checkout").expect(201)).body.order as KitchenView;
      const ready = { status: "ready", readyAt: placed.createdAt, attempts: 0, cooked: 0 };
      expect(placed).toMatchObject(ready);
      // Long enough for any worker to have taken a job, had there been one.
      await new Promise((resolve) => setTimeout(resolve, 2 * KITCHEN_MS));
      const later = (await dave.get(`/orders/${placed.id}`).expect(200)).body.order as KitchenView;
      expect(later).toMatchObject(ready);
      expect(later).not.toHaveProperty("preparedBy");
    });

    it("shows each order's progress in GET /orders too", async () => {
      const dave = await loggedIn("dave");
      const placed = await placeOrder(dave, addItem, 1);
      await followUntilReady(dave, placed.id);
      const orders = (await dave.get("/orders").expect(200)).body.orders as KitchenView[];
      expect(orders.find((order) => order.id === placed.id)).toMatchObject({ status: "ready", cooked: 1 });
      expect(orders.every((order) => ["placed", "preparing", "ready"].includes(order.status))).toBe(true);
    });

    it("answers 404 NO_ORDER for another user's order and for an order that does not exist", async () => {
      const placed = await placeOrder(await loggedIn("dave"), addItem, 1);
      const bob = await loggedIn("bob");
      expectError(await bob.get(`/orders/${placed.id}`), 404, "NO_ORDER");
      expectError(await bob.get("/orders/00000000-0000-4000-8000-000000000000"), 404, "NO_ORDER");
    });

    it("answers 400 for an order id that is not a UUID, and 401 without logging in", async () => {
      const dave = await loggedIn("dave");
      expectError(await dave.get("/orders/not-an-order"), 400, "VALIDATION_FAILED");
      expectError(await request(app).get("/orders/00000000-0000-4000-8000-000000000000"), 401, "NOT_LOGGED_IN");
    });

    it("says in /healthz where its queue lives and what this process holds of it", async () => {
      const { kitchen } = (await request(app).get("/healthz").expect(200)).body;
      expect(kitchen).toEqual({ queue: expect.any(String), waiting: expect.any(Number), cooking: expect.any(Number) });
    });
  });
}
