import fc from "fast-check";
import { CATALOG, createOrder, EmptyCartError, findProduct, priceCart, requireProduct } from "../src";

describe("the catalog", () => {
  it("prices the classic order in integer cents", () => {
    expect(requireProduct("pepperoni-pizza")).toEqual({
      sku: "pepperoni-pizza",
      name: "Large pepperoni pizza",
      priceCents: 1499,
    });
    for (const product of CATALOG) expect(Number.isInteger(product.priceCents)).toBe(true);
  });

  it("finds nothing under prototype keys", () => {
    expect(findProduct("__proto__")).toBeUndefined();
    expect(findProduct("constructor")).toBeUndefined();
  });
});

describe("priceCart", () => {
  it("prices Alice's pizza, mushrooms and Coke: 1499 + 199 + 299 = 1997 cents", () => {
    const cart = priceCart([
      { sku: "coke", quantity: 1 },
      { sku: "mushrooms", quantity: 1 },
      { sku: "pepperoni-pizza", quantity: 1 },
    ]);
    expect(cart.totalCents).toBe(1997);
    expect(cart.items.map((item) => item.sku)).toEqual(["pepperoni-pizza", "mushrooms", "coke"]);
  });

  it("gives an empty cart a total of 0", () => {
    expect(priceCart([])).toEqual({ items: [], totalCents: 0 });
  });

  it("always totals the sum of unit price × quantity, whatever the order of lines", () => {
    const line = fc.record({
      sku: fc.constantFrom(...CATALOG.map((p) => p.sku)),
      quantity: fc.integer({ min: 1, max: 99 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(line, { selector: (l) => l.sku }), (lines) => {
        const expected = lines.reduce((sum, l) => sum + requireProduct(l.sku).priceCents * l.quantity, 0);
        expect(priceCart(lines).totalCents).toBe(expected);
        expect(priceCart([...lines].reverse())).toEqual(priceCart(lines));
      }),
    );
  });
});

describe("createOrder", () => {
  it("turns lines into a priced order with an id and a UTC timestamp, ready at once when it has nothing to cook", () => {
    const order = createOrder([{ sku: "coke", quantity: 2 }], new Date("2026-11-22T12:00:00Z"), "order-1");
    expect(order).toEqual({
      id: "order-1",
      items: [{ sku: "coke", name: "Coke (330 ml)", quantity: 2, unitPriceCents: 299, lineTotalCents: 598 }],
      totalCents: 598,
      createdAt: "2026-11-22T12:00:00.000Z",
      status: "ready",
      readyAt: "2026-11-22T12:00:00.000Z",
      attempts: 0,
      cooked: 0,
    });
  });

  it("places an order with a pizza in it for the kitchen, not started", () => {
    const order = createOrder([
      { sku: "coke", quantity: 1 },
      { sku: "margherita-pizza", quantity: 1 },
    ]);
    expect(order).toMatchObject({ status: "placed", attempts: 0, cooked: 0 });
    expect(order).not.toHaveProperty("readyAt");
  });

  it("refuses an empty cart", () => {
    expect(() => createOrder([])).toThrow(EmptyCartError);
  });
});
