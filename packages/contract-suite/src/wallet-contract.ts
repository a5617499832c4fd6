// The contract for store credit: every user starts with some, checkout pays from it, and a checkout
// it cannot pay changes nothing. Each test reads the wallet before and after, so the order the
// tests run in does not matter; Carol's wallet is untouched by every other test of the spec.
import request from "supertest";
import type TestAgent from "supertest/lib/agent";
import { PIZZA, type ContractClient } from "./client";
import { expectError } from "./expectations";

interface LedgerLine {
  amountCents: number;
  balanceCents: number;
  description: string;
  orderId?: string;
  createdAt: string;
}

const walletOf = async (agent: TestAgent) =>
  (await agent.get("/wallet").expect(200)).body as { balanceCents: number; ledger: LedgerLine[] };

const orderIds = async (agent: TestAgent) =>
  ((await agent.get("/orders").expect(200)).body.orders as { id: string }[]).map((order) => order.id);

export function describeWalletRoutes({ app, loggedIn, addItem }: ContractClient): void {
  describe("GET /wallet", () => {
    it("opens with the user's starting credit, on a ledger whose lines add up to the balance", async () => {
      const wallet = await walletOf(await loggedIn("carol"));
      expect(wallet.ledger[0]).toEqual({
        amountCents: 10000,
        balanceCents: 10000,
        description: "Starting credit",
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(wallet.ledger.reduce((sum, line) => sum + line.amountCents, 0)).toBe(wallet.balanceCents);
    });

    it("without logging in answers 401", async () => {
      expectError(await request(app).get("/wallet"), 401, "NOT_LOGGED_IN");
    });
  });

  describe("paying at checkout", () => {
    it("takes the order's total from the credit, on a ledger line that names the order", async () => {
      const carol = await loggedIn("carol");
      const before = await walletOf(carol);
      await addItem(carol, PIZZA).expect(200);
      const { order } = (await carol.post("/checkout").expect(201)).body;
      const after = await walletOf(carol);
      expect(after.balanceCents).toBe(before.balanceCents - 1499);
      expect(after.ledger).toEqual([
        ...before.ledger,
        {
          amountCents: -1499,
          balanceCents: before.balanceCents - 1499,
          description: `Order ${order.id}`,
          orderId: order.id,
          createdAt: expect.any(String),
        },
      ]);
    });

    it("answers 409 INSUFFICIENT_CREDIT for more than the credit: nothing charged, no order, the cart kept", async () => {
      const carol = await loggedIn("carol");
      const before = await walletOf(carol);
      const ordersBefore = await orderIds(carol);
      const pizzas = Math.floor(before.balanceCents / 1499) + 1;
      await addItem(carol, { sku: "pepperoni-pizza", quantity: pizzas }).expect(200);
      expectError(await carol.post("/checkout"), 409, "INSUFFICIENT_CREDIT");
      expect(await walletOf(carol)).toEqual(before);
      expect(await orderIds(carol)).toEqual(ordersBefore);
      expect((await carol.get("/cart")).body.items).toEqual([expect.objectContaining({ quantity: pizzas })]);
    });

    it("places one order, paid once, however many times one cart is checked out at once", async () => {
      const bob = await loggedIn("bob");
      const before = await walletOf(bob);
      const ordersBefore = await orderIds(bob);
      await addItem(bob, PIZZA).expect(200);
      const replies = await Promise.all(Array.from({ length: 4 }, () => bob.post("/checkout")));
      // Each answer is the one order, or (once it is settled) an empty cart: never a second order.
      const placed = new Set(replies.filter((reply) => reply.status === 201).map((reply) => reply.body.order.id));
      expect(placed.size).toBe(1);
      for (const reply of replies.filter((reply) => reply.status !== 201)) expectError(reply, 409, "EMPTY_CART");
      expect(await orderIds(bob)).toEqual([...ordersBefore, ...placed]);
      expect((await walletOf(bob)).balanceCents).toBe(before.balanceCents - 1499);
    });
  });
}
