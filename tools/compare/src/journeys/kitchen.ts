// What the kitchen journeys share: a customer who places orders and watches them through
// GET /orders until they are ready, and the figures they report (checkout to ready, jobs delivered
// again, orders cooked twice, orders lost). The customers are the big spenders (dave, erin,
// frank): their credit never runs out, so nobody else's wallet changes.
import type { JourneyName } from "../vocabulary";
import { percentile, sleep } from "../util";
import type { Journey, JourneyContext } from "./journey";
import type { Shopper } from "./shopper";
import { JourneyFailure } from "./steps";

/**
 * A kitchen journey: Dave, logged in, orders; the stateful app fails it (its queue dies with a
 * server), the stateless one passes. Its faults need the local clusters, and it mostly waits.
 */
export function kitchenJourney(
  name: JourneyName,
  story: string,
  run: (context: JourneyContext, dave: Shopper) => Promise<void>,
): Journey {
  return {
    name,
    story,
    expected: { stateful: "fail", stateless: "pass" },
    needsLocalClusters: true,
    async run(context) {
      const dave = context.shopper("Dave", "dave");
      await dave.login();
      await run(context, dave);
    },
  };
}

/** An order as GET /orders shows it, the kitchen's fields included. */
export interface KitchenOrder {
  readonly id: string;
  readonly status: "placed" | "preparing" | "ready";
  readonly preparedBy?: string;
  readonly createdAt: string;
  readonly readyAt?: string;
  readonly attempts: number;
  readonly cooked: number;
}

const POLL_MS = 200;

/** Places an order of `pizzas` pizzas; resolves with it as checkout answered (placed). */
export async function placeOrder(customer: Shopper, pizzas = 1): Promise<KitchenOrder> {
  await customer.add("margherita-pizza", pizzas);
  return (await customer.expect(201, "POST", "/checkout")).body.order as KitchenOrder;
}

/**
 * GET /orders, as the customer would: logged in again first if their session is gone (on the
 * stateful app, with the server that held it). Resolves with their orders by id.
 */
export async function ordersNow(customer: Shopper): Promise<Map<string, KitchenOrder>> {
  let reply = await customer.send("GET", "/orders");
  if (reply.status === 401) {
    await customer.login();
    reply = await customer.send("GET", "/orders");
  }
  const orders = reply.status === 200 ? (reply.body.orders as KitchenOrder[]) : [];
  return new Map(orders.map((order) => [order.id, order]));
}

/** Asks GET /orders every 200 ms until `done` says so or `withinMs` has passed; resolves with the orders as last seen. */
export async function watchOrders(
  customer: Shopper,
  done: (seen: Map<string, KitchenOrder>) => boolean,
  withinMs: number,
): Promise<Map<string, KitchenOrder>> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const seen = await ordersNow(customer);
    if (done(seen) || Date.now() > deadline) return seen;
    await sleep(POLL_MS);
  }
}

/**
 * Every one of `ids` is ready, or unknown to the server that answered: an order a server has
 * forgotten (its memory died with it) will not come back, so there is nothing left to wait for.
 */
export const settled = (ids: readonly string[]) => (seen: Map<string, KitchenOrder>) =>
  ids.every((id) => !seen.has(id) || seen.get(id)!.status === "ready");

/**
 * Places an order, logging in again first if the session is gone (a restarted stateful server
 * forgot it): the customer carries on, and the kitchen's figures are about the kitchen.
 */
export async function placeOrderAgain(customer: Shopper, pizzas = 1): Promise<KitchenOrder> {
  const reply = await customer.send("POST", "/cart/items", { sku: "margherita-pizza", quantity: pizzas });
  if (reply.status === 401) await customer.login();
  if (reply.status !== 200) return placeOrder(customer, pizzas);
  return (await customer.expect(201, "POST", "/checkout")).body.order as KitchenOrder;
}

/** The kitchen's figures over `ids`, as the report shows them. */
export interface KitchenFigures {
  readonly orders: number;
  readonly ready: number;
  /** Not ready in the end: still waiting, or unknown to the server that answered (its queue died). */
  readonly lost: number;
  /** Deliveries beyond the first: a worker died, stalled or stopped with the order, and another got its job. */
  readonly redelivered: number;
  readonly cookedTwice: number;
  readonly checkoutToReadyP50Ms: number;
  readonly checkoutToReadyP99Ms: number;
  /** Ready orders per server that cooked them. */
  readonly cookedBy: Record<string, number>;
}

export function kitchenFigures(ids: readonly string[], seen: Map<string, KitchenOrder>): KitchenFigures {
  const orders = ids.map((id) => seen.get(id));
  const ready = orders.filter((order): order is KitchenOrder => order?.status === "ready");
  const waits = ready.map((order) => Date.parse(order.readyAt!) - Date.parse(order.createdAt));
  const cookedBy: Record<string, number> = {};
  for (const order of ready) cookedBy[order.preparedBy!] = (cookedBy[order.preparedBy!] ?? 0) + 1;
  return {
    orders: ids.length,
    ready: ready.length,
    lost: ids.length - ready.length,
    redelivered: orders.reduce((sum, order) => sum + Math.max(0, (order?.attempts ?? 0) - 1), 0),
    cookedTwice: orders.filter((order) => (order?.cooked ?? 0) > 1).length,
    checkoutToReadyP50Ms: percentile(waits, 50),
    checkoutToReadyP99Ms: percentile(waits, 99),
    cookedBy,
  };
}

/** Records the figures for the report (in words, and whole in compare.json). */
export function noteKitchen(context: JourneyContext, figures: KitchenFigures, extra: string[] = []): void {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  context.note("kitchen", figures);
  context.note("figures", [
    `${figures.ready} of ${figures.orders} orders ready; lost: ${figures.lost}`,
    figures.ready === 0
      ? "checkout to ready: no order was ready"
      : `checkout to ready: p50 ${seconds(figures.checkoutToReadyP50Ms)}, p99 ${seconds(figures.checkoutToReadyP99Ms)}`,
    `jobs delivered again: ${figures.redelivered}; orders cooked twice: ${figures.cookedTwice}`,
    `cooked by: ${
      Object.entries(figures.cookedBy)
        .map(([server, n]) => `${server} ${n}`)
        .join(", ") || "nobody"
    }`,
    ...extra,
  ]);
}

/**
 * The verdict over `ids` after `fault`: none gone (unknown to the server that answers), none still
 * waiting after `withinMs`, none cooked twice. A gone order is also asked for by its id, so the
 * report shows the 404.
 */
export async function expectEveryOrderCookedOnce(
  dave: Shopper,
  ids: readonly string[],
  seen: Map<string, KitchenOrder>,
  { fault, withinMs, heldBy }: { fault: string; withinMs: number; heldBy: string },
): Promise<void> {
  const figures = kitchenFigures(ids, seen);
  const gone = ids.filter((id) => !seen.has(id));
  if (gone.length > 0) {
    await dave.send("GET", `/orders/${gone[0]}`);
    throw new JourneyFailure(
      `${gone.length} of Dave's ${ids.length} orders are gone after ${fault}: GET /orders on ${dave.lastInstance} ` +
        `does not know them, and they will never be ready (they and their kitchen queue lived in ${heldBy})`,
    );
  }
  if (figures.lost > 0) {
    throw new JourneyFailure(
      `${figures.lost} of Dave's ${ids.length} orders were still not ready ${withinMs / 1000} s after ${fault}`,
    );
  }
  if (figures.cookedTwice > 0) {
    throw new JourneyFailure(`${figures.cookedTwice} of Dave's orders were cooked twice after ${fault}`);
  }
}
