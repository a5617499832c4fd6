// The kitchen: every order placed goes to it, and one of the kitchen workers cooks it. An order is
// `placed` (waiting in the queue), `preparing` (a worker took it) and then `ready`. Where the queue
// lives is the lesson: in the memory of the server that took the order (it dies with that server),
// or in the database every server shares (any server's worker cooks it, and a job whose worker died
// is delivered again). A job delivered twice must not cook twice: `cook` starts and finishes an
// order with conditional writes keyed by the order and the attempt (see KitchenOrders).
import type { PricedLine } from "./pricing";
import type { KitchenOrders } from "./ports";

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

export const NOT_STARTED: KitchenProgress = Object.freeze({ status: "placed", attempts: 0, cooked: 0 });

/** The products that take the kitchen time (drinks and toppings are added as the pizza leaves). */
const COOKED = new Set(["pepperoni-pizza", "margherita-pizza"]);

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

/** What became of one delivery of an order's job. */
export type CookOutcome =
  /** Cooked to the end, and recorded as ready by this attempt. */
  | "cooked"
  /** Nothing to do: already ready (the job was delivered again after it was cooked), or no such order. */
  | "nothing-to-do"
  /** Cooked, but a later attempt (another delivery of the same job) had taken the order over, so this one was not recorded. */
  | "taken-over";

export interface CookOptions {
  /** The server whose worker cooks (preparedBy). */
  readonly cook: string;
  /** Milliseconds per pizza. */
  readonly kitchenMs: number;
  /** Waits `ms` (the cooking); a test may pass its own. */
  readonly wait?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One delivery of an order's job: takes the order (a new attempt), cooks it for as long as its
 * pizzas take, then marks it ready if no later attempt took it over meanwhile.
 */
export async function cook(orders: KitchenOrders, orderId: string, options: CookOptions): Promise<CookOutcome> {
  const started = await orders.start(orderId, options.cook, new Date());
  if (!started) return "nothing-to-do";
  await (options.wait ?? sleep)(cookingMs(started.items, options.kitchenMs));
  return (await orders.finish(orderId, started.attempt, new Date())) ? "cooked" : "taken-over";
}
