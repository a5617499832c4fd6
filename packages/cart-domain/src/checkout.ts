// Checkout spans two kinds of state: the cart (temporary, the session's) and the user's account
// (orders and store credit, durable). No store offers one transaction over both, so checkout is
// three stages, each safe to repeat: the cart names the id its order will have; the account pays for
// and records that order in one go, once per id; the cart then gives up the ordered lines. A
// checkout that fails between two stages (a store outage, a crash) and is tried again finds the same
// order id, so it never pays twice, and never loses what was added to the cart in the meantime.
import { createOrder, type Order } from "./order";
import type { AccountRepository, CartRepository } from "./ports";

export async function checkout(
  carts: CartRepository,
  accounts: AccountRepository,
  { cartId, userId }: { cartId: string; userId: string },
): Promise<Order> {
  const { orderId, lines } = await carts.forCheckout(cartId);
  const order = await accounts.place(userId, createOrder(lines, new Date(), orderId));
  await carts.settle(cartId, order);
  return order;
}
