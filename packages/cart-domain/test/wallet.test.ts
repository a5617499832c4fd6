// Store credit and the three steps of a checkout, as pure rules.
import fc from "fast-check";
import {
  createOrder,
  formatCents,
  InsufficientCreditError,
  openingEntry,
  pay,
  startingCredits,
  withoutOrdered,
  type CartLine,
  type Wallet,
} from "../src";

const opened = (cents: number): Wallet => ({ balanceCents: cents, ledger: [openingEntry(cents)] });
const ledgerSum = (wallet: Wallet) => wallet.ledger.reduce((sum, line) => sum + line.amountCents, 0);

describe("pay", () => {
  it("takes the order's total, on a ledger line that names the order", () => {
    const order = createOrder([{ sku: "pepperoni-pizza", quantity: 1 }]);
    const wallet = pay(opened(10_000), order);
    expect(wallet.balanceCents).toBe(10_000 - 1499);
    expect(wallet.ledger.at(-1)).toEqual({
      amountCents: -1499,
      balanceCents: 10_000 - 1499,
      description: `Order ${order.id}`,
      orderId: order.id,
      createdAt: expect.any(String),
    });
  });

  it("refuses more than the balance with INSUFFICIENT_CREDIT, saying both amounts", () => {
    const order = createOrder([{ sku: "pepperoni-pizza", quantity: 2 }]);
    expect(() => pay(opened(2000), order)).toThrow(InsufficientCreditError);
    expect(() => pay(opened(2000), order)).toThrow("The order costs $29.98 and your store credit is $20.00");
  });

  it("whatever is bought, never goes below zero, and the ledger always adds up to the balance", () => {
    const line = fc.record({
      sku: fc.constantFrom("pepperoni-pizza", "margherita-pizza", "mushrooms", "coke"),
      quantity: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(line, { selector: (l) => l.sku, minLength: 1 })), (carts) => {
        let wallet = opened(10_000);
        for (const lines of carts) {
          try {
            wallet = pay(wallet, createOrder(lines));
          } catch (error) {
            if (!(error instanceof InsufficientCreditError)) throw error;
          }
          expect(wallet.balanceCents).toBeGreaterThanOrEqual(0);
          expect(ledgerSum(wallet)).toBe(wallet.balanceCents);
        }
      }),
    );
  });
});

describe("withoutOrdered", () => {
  it("takes the ordered quantities out and keeps what was added after the order was priced", () => {
    const cart: CartLine[] = [
      { sku: "pepperoni-pizza", quantity: 3 },
      { sku: "coke", quantity: 1 },
      { sku: "mushrooms", quantity: 2 },
    ];
    const ordered = [
      { sku: "pepperoni-pizza", quantity: 1 },
      { sku: "coke", quantity: 1 },
    ];
    expect(withoutOrdered(cart, ordered)).toEqual([
      { sku: "pepperoni-pizza", quantity: 2 },
      { sku: "mushrooms", quantity: 2 },
    ]);
  });

  it("drops a line that shrank below what was ordered", () => {
    expect(withoutOrdered([{ sku: "coke", quantity: 1 }], [{ sku: "coke", quantity: 3 }])).toEqual([]);
  });
});

describe("money and the demo users' credit", () => {
  it("formats cents as dollars", () => {
    expect([0, 5, 1499, 10_000, -1997].map(formatCents)).toEqual(["$0.00", "$0.05", "$14.99", "$100.00", "-$19.97"]);
  });

  it("gives the story's users $100.00 each, and the load tests' shoppers far more", () => {
    const credit = Object.fromEntries(startingCredits().map(({ userId, cents }) => [userId, cents]));
    expect(credit).toMatchObject({ alice: 10_000, bob: 10_000, carol: 10_000 });
    for (const bigSpender of ["dave", "erin", "frank"]) expect(credit[bigSpender]).toBeGreaterThanOrEqual(100_000_00);
  });
});
