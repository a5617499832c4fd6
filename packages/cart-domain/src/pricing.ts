// Pricing: turns cart lines into what the customer sees, in integer cents.
import { catalogIndex, requireProduct } from "./catalog";
import type { CartLine } from "./cart";

export interface PricedLine {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
  readonly lineTotalCents: number;
}

export interface PricedCart {
  readonly items: PricedLine[];
  readonly totalCents: number;
}

export function priceCart(lines: readonly CartLine[]): PricedCart {
  const items = [...lines]
    .sort((a, b) => catalogIndex(a.sku) - catalogIndex(b.sku))
    .map(({ sku, quantity }) => {
      const product = requireProduct(sku);
      return {
        sku,
        name: product.name,
        quantity,
        unitPriceCents: product.priceCents,
        lineTotalCents: product.priceCents * quantity,
      };
    });
  return { items, totalCents: items.reduce((sum, item) => sum + item.lineTotalCents, 0) };
}
