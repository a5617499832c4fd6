// Cart rules as pure functions over cart lines. In-memory adapters apply them directly;
// adapters for shared stores apply the same limits inside one atomic store operation.
import { requireProduct } from "./catalog";
import { CartFullError, InvalidQuantityError, NotInCartError, QuantityLimitError } from "./errors";

export const MAX_QUANTITY = 99;
export const MAX_LINES = 20;

export interface CartLine {
  readonly sku: string;
  readonly quantity: number;
}

/** Checks a requested quantity: a whole number from `min` (1 to add, 0 to set) to MAX_QUANTITY. */
export function assertQuantity(quantity: number, min: 0 | 1): void {
  if (!Number.isInteger(quantity) || quantity < min || quantity > MAX_QUANTITY) {
    throw new InvalidQuantityError(quantity, min, MAX_QUANTITY);
  }
}

/** Adds `quantity` of `sku`: to its existing line if there is one, else as a new line. */
export function addLine(lines: readonly CartLine[], sku: string, quantity: number): CartLine[] {
  requireProduct(sku);
  assertQuantity(quantity, 1);
  const existing = lines.find((line) => line.sku === sku);
  if (!existing) {
    if (lines.length >= MAX_LINES) throw new CartFullError(MAX_LINES);
    return [...lines, { sku, quantity }];
  }
  const wanted = existing.quantity + quantity;
  if (wanted > MAX_QUANTITY) throw new QuantityLimitError(sku, MAX_QUANTITY);
  return lines.map((line) => (line.sku === sku ? { sku, quantity: wanted } : line));
}

/** Sets the quantity of a line already in the cart; 0 removes it. */
export function setLineQuantity(lines: readonly CartLine[], sku: string, quantity: number): CartLine[] {
  assertQuantity(quantity, 0);
  if (!lines.some((line) => line.sku === sku)) throw new NotInCartError(sku);
  if (quantity === 0) return lines.filter((line) => line.sku !== sku);
  return lines.map((line) => (line.sku === sku ? { sku, quantity } : line));
}

/**
 * The cart once an order made from it is settled: each ordered line's quantity taken out, so what
 * was added after the order was priced stays in the cart.
 */
export function withoutOrdered(lines: readonly CartLine[], ordered: readonly CartLine[]): CartLine[] {
  const taken = new Map(ordered.map((line) => [line.sku, line.quantity]));
  return lines
    .map((line) => ({ sku: line.sku, quantity: line.quantity - (taken.get(line.sku) ?? 0) }))
    .filter((line) => line.quantity > 0);
}
