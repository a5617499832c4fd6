// The contract for the cart, checkout and orders.
import request from "supertest";
import { PIZZA, type ContractClient } from "./client";
import { expectError } from "./expectations";

export function describeCartRoutes({ app, loggedIn, addItem }: ContractClient): void {
  describe("GET /cart", () => {
    it("starts empty", async () => {
      const agent = await loggedIn();
      expect((await agent.get("/cart").expect(200)).body).toEqual({ items: [], totalCents: 0 });
    });

    it("without logging in answers 401", async () => {
      expectError(await request(app).get("/cart"), 401, "NOT_LOGGED_IN");
    });

    it("is the caller's own: Bob does not see Alice's cart", async () => {
      const alice = await loggedIn("alice");
      await addItem(alice, PIZZA).expect(200);
      const bob = await loggedIn("bob");
      expect((await bob.get("/cart")).body.items).toEqual([]);
    });
  });

  describe("POST /cart/items", () => {
    it("adds a line, priced in cents, and adding the same product again adds to its quantity", async () => {
      const agent = await loggedIn();
      await addItem(agent, PIZZA).expect(200);
      await addItem(agent, { sku: "coke", quantity: 2 }).expect(200);
      const { body } = await addItem(agent, { sku: "pepperoni-pizza", quantity: 2 }).expect(200);
      expect(body).toEqual({
        items: [
          {
            sku: "pepperoni-pizza",
            name: "Large pepperoni pizza",
            quantity: 3,
            unitPriceCents: 1499,
            lineTotalCents: 4497,
          },
          { sku: "coke", name: "Coke (330 ml)", quantity: 2, unitPriceCents: 299, lineTotalCents: 598 },
        ],
        totalCents: 5095,
      });
    });

    it("of an unknown product answers 400 UNKNOWN_SKU", async () => {
      expectError(await addItem(await loggedIn(), { sku: "pineapple", quantity: 1 }), 400, "UNKNOWN_SKU");
    });

    it.each([0, -1, 1.5, 100, 1e308])("of quantity %p answers 400 INVALID_QUANTITY", async (quantity) => {
      expectError(await addItem(await loggedIn(), { sku: "coke", quantity }), 400, "INVALID_QUANTITY");
    });

    it.each([
      ["a string quantity", { sku: "coke", quantity: "2" }],
      ["no quantity", { sku: "coke" }],
      ["an extra key", { sku: "coke", quantity: 1, priceCents: 1 }],
    ])("with %s answers 400 VALIDATION_FAILED", async (_case, body) => {
      expectError(await addItem(await loggedIn(), body), 400, "VALIDATION_FAILED");
    });

    it("beyond 99 of one product answers 409 QUANTITY_LIMIT and keeps the cart as it was", async () => {
      const agent = await loggedIn();
      await addItem(agent, { sku: "coke", quantity: 98 }).expect(200);
      expectError(await addItem(agent, { sku: "coke", quantity: 2 }), 409, "QUANTITY_LIMIT");
      expect((await agent.get("/cart")).body.items[0].quantity).toBe(98);
    });

    it("without logging in answers 401", async () => {
      expectError(await addItem(request.agent(app), PIZZA), 401, "NOT_LOGGED_IN");
    });
  });

  describe("PATCH /cart/items/:sku", () => {
    it("sets the quantity, and 0 removes the line", async () => {
      const agent = await loggedIn();
      await addItem(agent, PIZZA).expect(200);
      await addItem(agent, { sku: "mushrooms", quantity: 1 }).expect(200);
      const set = await agent.patch("/cart/items/mushrooms").send({ quantity: 3 }).expect(200);
      expect(set.body.totalCents).toBe(1499 + 3 * 199);
      const removed = await agent.patch("/cart/items/mushrooms").send({ quantity: 0 }).expect(200);
      expect(removed.body.items.map((item: { sku: string }) => item.sku)).toEqual(["pepperoni-pizza"]);
    });

    it("of a product not in the cart answers 404 NOT_IN_CART", async () => {
      expectError(await (await loggedIn()).patch("/cart/items/coke").send({ quantity: 1 }), 404, "NOT_IN_CART");
    });

    it.each([-1, 2.5, 100])("to quantity %p answers 400 INVALID_QUANTITY", async (quantity) => {
      const agent = await loggedIn();
      await addItem(agent, PIZZA).expect(200);
      expectError(await agent.patch("/cart/items/pepperoni-pizza").send({ quantity }), 400, "INVALID_QUANTITY");
    });

    it("without logging in answers 401", async () => {
      expectError(await request(app).patch("/cart/items/coke").send({ quantity: 1 }), 401, "NOT_LOGGED_IN");
    });
  });

  describe("DELETE /cart/items/:sku", () => {
    it("removes the line", async () => {
      const agent = await loggedIn();
      await addItem(agent, PIZZA).expect(200);
      expect((await agent.delete("/cart/items/pepperoni-pizza").expect(200)).body).toEqual({
        items: [],
        totalCents: 0,
      });
    });

    it("of a product not in the cart answers 404 NOT_IN_CART", async () => {
      expectError(await (await loggedIn()).delete("/cart/items/__proto__"), 404, "NOT_IN_CART");
    });

    it("without logging in answers 401", async () => {
      expectError(await request(app).delete("/cart/items/coke"), 401, "NOT_LOGGED_IN");
    });
  });

  describe("POST /checkout", () => {
    it("turns the cart into an order, empties the cart, and lists the order under GET /orders", async () => {
      const agent = await loggedIn();
      await addItem(agent, PIZZA).expect(200);
      await addItem(agent, { sku: "mushrooms", quantity: 1 }).expect(200);
      await addItem(agent, { sku: "coke", quantity: 1 }).expect(200);
      const { body } = await agent.post("/checkout").expect(201);
      expect(body.order).toEqual({
        id: expect.any(String),
        items: expect.any(Array),
        totalCents: 1499 + 199 + 299,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        // On its way to the kitchen (see kitchen-contract.ts).
        status: "placed",
        attempts: 0,
        cooked: 0,
      });
      expect((await agent.get("/cart")).body.items).toEqual([]);
      const orders = (await agent.get("/orders").expect(200)).body.orders as { id: string }[];
      expect(orders.map((order) => order.id)).toContain(body.order.id);
    });

    it("of an empty cart answers 409 EMPTY_CART", async () => {
      expectError(await (await loggedIn()).post("/checkout"), 409, "EMPTY_CART");
    });

    it("without logging in answers 401", async () => {
      expectError(await request(app).post("/checkout"), 401, "NOT_LOGGED_IN");
    });
  });

  describe("GET /orders", () => {
    it("keeps orders with the user across sessions, and never shows them to another user", async () => {
      const first = await loggedIn("alice");
      await addItem(first, PIZZA).expect(200);
      const { body } = await first.post("/checkout").expect(201);
      const later = await loggedIn("alice");
      expect((await later.get("/orders")).body.orders.map((order: { id: string }) => order.id)).toContain(
        body.order.id,
      );
      const bob = await loggedIn("bob");
      expect((await bob.get("/orders")).body.orders.map((order: { id: string }) => order.id)).not.toContain(
        body.order.id,
      );
    });

    it("without logging in answers 401", async () => {
      expectError(await request(app).get("/orders"), 401, "NOT_LOGGED_IN");
    });
  });
}
