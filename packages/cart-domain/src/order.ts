// Orders: what checkout makes of a cart. They belong to the user and outlive sessions, and the
// kitchen cooks the ones with something to cook in them (kitchen.ts): each carries its progress
// there (kitchen-progress.ts).
import { randomUUID } from "node:crypto";
import type { CartLine } from "./cart";
import { EmptyCartError } from "./errors";
import { progressAtPlacement, type KitchenProgress } from "./kitchen-progress";
import { priceCart, type PricedLine } from "./pricing";

export interface Order extends KitchenProgress {
  readonly id: string;
  readonly items: PricedLine[];
  readonly totalCents: number;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
}

export function createOrder(lines: readonly CartLine[], now: Date = new Date(), id: string = randomUUID()): Order {
  if (lines.length === 0) throw new EmptyCartError();
  const { items, totalCents } = priceCart(lines);
  return { id, items, totalCents, createdAt: now.toISOString(), ...progressAtPlacement(items, now) };
}
