// The classic order, shared by several journeys: large pepperoni pizza, mushrooms, a Coke.
import { nthUser, type DemoUser } from "../rig/demo-logins";
import type { JourneyContext } from "./journey";
import type { Shopper } from "./shopper";
import { JourneyFailure } from "./steps";

/**
 * `count` users, the n-th as `userOf(n)` (Alice and Bob in turns unless told: "Alice #1", "Bob #2",
 * …), each with a browser and session of its own.
 */
export function crowd(context: JourneyContext, count: number, userOf: (n: number) => DemoUser = nthUser): Shopper[] {
  return Array.from({ length: count }, (_, n) => {
    const user = userOf(n);
    return context.shopper(`${user[0]!.toUpperCase()}${user.slice(1)} #${n + 1}`, user);
  });
}

export const CLASSIC_ORDER = { "pepperoni-pizza": 1, mushrooms: 1, coke: 1 };
export const CLASSIC_TOTAL_CENTS = 1499 + 199 + 299;

/** Views the cart, checks out, and finds the order in the order list. */
export async function checkOutClassicOrder(shopper: Shopper): Promise<void> {
  await shopper.expectCart(CLASSIC_ORDER);
  const order = await shopper.checkout();
  if (order.totalCents !== CLASSIC_TOTAL_CENTS) {
    throw new JourneyFailure(`POST /checkout charged ${order.totalCents} cents instead of ${CLASSIC_TOTAL_CENTS}`);
  }
  const orders = (await shopper.expect(200, "GET", "/orders")).body.orders as { id: string }[];
  if (!orders.some((listed) => listed.id === order.id)) {
    throw new JourneyFailure(`GET /orders does not list the order ${shopper.name} just placed`);
  }
}

export async function shopClassicOrder(shopper: Shopper): Promise<void> {
  await shopper.login();
  await shopper.add("pepperoni-pizza");
  await shopper.add("mushrooms");
  await shopper.add("coke");
  await checkOutClassicOrder(shopper);
}

/**
 * Alice's classic order with a fault in the middle, after the pizza and mushrooms, before the
 * Coke; her cart is recorded on both sides of the fault.
 */
export async function shopClassicOrderAcross(context: JourneyContext, fault: (alice: Shopper) => Promise<void>) {
  const alice = context.shopper("Alice");
  await alice.login();
  await alice.add("pepperoni-pizza");
  await alice.add("mushrooms");
  await context.observeCart(alice, "before");
  await fault(alice);
  await context.observeCart(alice, "after");
  await alice.add("coke");
  await checkOutClassicOrder(alice);
}
