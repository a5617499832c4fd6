// The catalog: what can be put in a cart, with prices in integer cents (never floats).
import { UnknownSkuError } from "./errors";

export interface Product {
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
}

export const CATALOG: readonly Product[] = Object.freeze([
  { sku: "pepperoni-pizza", name: "Large pepperoni pizza", priceCents: 1499 },
  { sku: "margherita-pizza", name: "Margherita pizza", priceCents: 1299 },
  { sku: "mushrooms", name: "Extra mushrooms (topping)", priceCents: 199 },
  { sku: "coke", name: "Coke (330 ml)", priceCents: 299 },
]);

// A Map, not an object, so that keys like "__proto__" or "constructor" find nothing.
const bySku = new Map(CATALOG.map((product) => [product.sku, product]));

export function findProduct(sku: string): Product | undefined {
  return bySku.get(sku);
}

export function requireProduct(sku: string): Product {
  const product = bySku.get(sku);
  if (!product) throw new UnknownSkuError(sku);
  return product;
}

/** Position in the catalog: carts list their lines in catalog order, whatever the store's order. */
export function catalogIndex(sku: string): number {
  const index = CATALOG.findIndex((product) => product.sku === sku);
  return index === -1 ? CATALOG.length : index;
}
