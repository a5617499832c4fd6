// What the kitchen does to an order, as a value: its status and progress, how long it cooks, and
// the two writes a delivery of its job makes (start, finish). Orders carry this (order.ts); the
// workers that make the writes are in kitchen.ts.
import type { PricedLine } from "./pricing";

export const ORDER_STATUSES = ["placed", "preparing", "ready"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What the kitchen has done with an order so far. */
export interface KitchenProgress {
  readonly status: OrderStatus;
  /** The server whose worker is cooking it (preparing) or cooked it (ready). */
  readonly preparedBy?: string;
  /** When the last attempt started cooking it (ISO 8601, UTC). */
  readonly startedAt?: string;
  /** When it was ready (ISO 8601, UTC). */
  readonly readyAt?: string;
  /** How many times a worker started on it: more than 1 when its job was delivered again (its worker died, stalled or stopped). */
  readonly attempts: number;
  /** How many times it was cooked to the end: the kitchen's guard keeps it at 1, however many deliveries. */
  readonly cooked: number;
}

const NOT_STARTED: KitchenProgress = Object.freeze({ status: "placed", attempts: 0, cooked: 0 });

/** The products that take the kitchen time (drinks and toppings are added as the pizza leaves). */
const COOKED = new Set(["pepperoni-pizza", "margherita-pizza"]);

/** Whether these lines go to the kitchen: an order with no pizza in it (a drink) has nothing to cook. */
export function needsKitchen(items: readonly Pick<PricedLine, "sku">[]): boolean {
  return items.some((line) => COOKED.has(line.sku));
}

/** An order's progress when it is placed: waiting for the kitchen, or ready there and then if nothing in it is cooked. */
export function progressAtPlacement(items: readonly Pick<PricedLine, "sku">[], at: Date): KitchenProgress {
  return needsKitchen(items) ? NOT_STARTED : { status: "ready", readyAt: at.toISOString(), attempts: 0, cooked: 0 };
}

/** How long the kitchen takes for these lines: `kitchenMs` per pizza. */
export function cookingMs(items: readonly Pick<PricedLine, "sku" | "quantity">[], kitchenMs: number): number {
  return items.reduce((ms, line) => ms + (COOKED.has(line.sku) ? line.quantity * kitchenMs : 0), 0);
}

/**
 * The kitchen's two writes on an order held as a value (the stateful app's memory): `start`, unless
 * it is ready; `finish`, only by the attempt that started it last. The database does the same
 * with conditional updates (the stateless app's account repository).
 */
export function startCooking<T extends KitchenProgress>(order: T, cook: string, at: Date): T | undefined {
  if (order.status === "ready") return undefined;
  return { ...order, status: "preparing", preparedBy: cook, startedAt: at.toISOString(), attempts: order.attempts + 1 };
}

export function finishCooking<T extends KitchenProgress>(order: T, attempt: number, at: Date): T | undefined {
  if (order.status !== "preparing" || order.attempts !== attempt) return undefined;
  return { ...order, status: "ready", readyAt: at.toISOString(), cooked: order.cooked + 1 };
}
