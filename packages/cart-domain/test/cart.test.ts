import fc from "fast-check";
import {
  addLine,
  CartFullError,
  CATALOG,
  InvalidQuantityError,
  MAX_LINES,
  MAX_QUANTITY,
  NotInCartError,
  QuantityLimitError,
  setLineQuantity,
  UnknownSkuError,
  type CartLine,
} from "../src";

const skus = CATALOG.map((product) => product.sku);

describe("addLine", () => {
  it("adds a new line for a product not yet in the cart", () => {
    expect(addLine([], "pepperoni-pizza", 1)).toEqual([{ sku: "pepperoni-pizza", quantity: 1 }]);
  });

  it("adds to the quantity of a product already in the cart", () => {
    expect(addLine([{ sku: "coke", quantity: 2 }], "coke", 3)).toEqual([{ sku: "coke", quantity: 5 }]);
  });

  it("refuses a product that is not in the catalog", () => {
    expect(() => addLine([], "pineapple", 1)).toThrow(UnknownSkuError);
    expect(() => addLine([], "__proto__", 1)).toThrow(UnknownSkuError);
  });

  it.each([0, -1, 1.5, 100, Number.NaN, Infinity])("refuses quantity %p", (quantity) => {
    expect(() => addLine([], "coke", quantity)).toThrow(InvalidQuantityError);
  });

  it("refuses to take a line beyond 99", () => {
    expect(() => addLine([{ sku: "coke", quantity: 98 }], "coke", 2)).toThrow(QuantityLimitError);
    expect(addLine([{ sku: "coke", quantity: 98 }], "coke", 1)).toEqual([{ sku: "coke", quantity: 99 }]);
  });

  it("refuses a 21st distinct line, but still adds to an existing one", () => {
    const full: CartLine[] = Array.from({ length: MAX_LINES - 1 }, (_, i) => ({ sku: `old-${i}`, quantity: 1 }));
    const twenty = addLine(full, "coke", 1);
    expect(twenty).toHaveLength(MAX_LINES);
    expect(() => addLine(twenty, "mushrooms", 1)).toThrow(CartFullError);
    expect(addLine(twenty, "coke", 1)).toHaveLength(MAX_LINES);
  });

  it("does not change the cart it was given", () => {
    const lines = Object.freeze([Object.freeze({ sku: "coke", quantity: 1 })]);
    addLine(lines, "coke", 1);
    expect(lines).toEqual([{ sku: "coke", quantity: 1 }]);
  });
});

describe("setLineQuantity", () => {
  it("sets the quantity of a line in the cart, and 0 removes it", () => {
    const lines = [
      { sku: "coke", quantity: 1 },
      { sku: "mushrooms", quantity: 1 },
    ];
    expect(setLineQuantity(lines, "coke", 7)).toEqual([
      { sku: "coke", quantity: 7 },
      { sku: "mushrooms", quantity: 1 },
    ]);
    expect(setLineQuantity(lines, "coke", 0)).toEqual([{ sku: "mushrooms", quantity: 1 }]);
  });

  it("refuses a product that is not in the cart", () => {
    expect(() => setLineQuantity([], "coke", 1)).toThrow(NotInCartError);
  });

  it.each([-1, 2.5, 100])("refuses quantity %p", (quantity) => {
    expect(() => setLineQuantity([{ sku: "coke", quantity: 1 }], "coke", quantity)).toThrow(InvalidQuantityError);
  });
});

describe("any sequence of adds and sets", () => {
  const operation = fc.record({
    kind: fc.constantFrom("add", "set"),
    sku: fc.constantFrom(...skus),
    quantity: fc.integer({ min: -5, max: 120 }),
  });

  it("keeps every line between 1 and 99, one line per product, and totals what was accepted", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        let lines: CartLine[] = [];
        const expected = new Map<string, number>();
        for (const { kind, sku, quantity } of operations) {
          try {
            lines = kind === "add" ? addLine(lines, sku, quantity) : setLineQuantity(lines, sku, quantity);
          } catch {
            continue; // a refused operation changes nothing
          }
          const next = kind === "add" ? (expected.get(sku) ?? 0) + quantity : quantity;
          if (next === 0) expected.delete(sku);
          else expected.set(sku, next);
        }
        expect(new Set(lines.map((line) => line.sku)).size).toBe(lines.length);
        for (const line of lines) expect(line.quantity).toBeGreaterThanOrEqual(1);
        for (const line of lines) expect(line.quantity).toBeLessThanOrEqual(MAX_QUANTITY);
        expect(new Map(lines.map((line) => [line.sku, line.quantity]))).toEqual(expected);
      }),
    );
  });
});
