// The kitchen: every order placed goes to it, and one of the kitchen workers cooks it. An order is
// `placed` (waiting in the queue), `preparing` (a worker took it) and then `ready`. Where the queue
// lives is the lesson: in the memory of the server that took the order (it dies with that server),
// or in the database every server shares (any server's worker cooks it, and a job whose worker died
// is delivered again). A job delivered twice must not cook twice: `cook` starts and finishes an
// order with conditional writes keyed by the order and the attempt (see KitchenOrders).
import { cookingMs } from "./kitchen-progress";
import type { KitchenOrders } from "./ports";

/** What became of one delivery of an order's job. */
export type CookOutcome =
  /** Cooked to the end, and recorded as ready by this attempt. */
  | "cooked"
  /** Nothing to do: already ready (the job was delivered again after it was cooked), or no such order. */
  | "nothing-to-do"
  /** Cooked, but a later attempt (another delivery of the same job) had taken the order over, so this one was not recorded. */
  | "taken-over";

/** How a server's kitchen runs (both apps' `startKitchen` take it). */
export interface KitchenSettings {
  /** The server, as `preparedBy` names it. */
  readonly instanceId: string;
  /** Milliseconds per pizza (KITCHEN_MS). */
  readonly kitchenMs: number;
  /** Orders cooked at once (KITCHEN_WORKERS). */
  readonly workers: number;
}

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
