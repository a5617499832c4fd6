// Ports: what the shop needs from wherever its state lives. Each app provides adapters:
// in process memory (stateful) or in Redis (stateless). Sessions use express-session's own
// Store interface (MemoryStore, connect-redis' RedisStore), so they need no port here.
import type { CartLine } from "./cart";
import type { Order } from "./order";

/**
 * Carts belong to a session (logout discards them). Every write is one atomic operation on
 * the store, never a read-modify-write of the whole cart, so parallel requests lose no update.
 * An unknown cart id is an empty cart.
 */
export interface CartRepository {
  lines(cartId: string): Promise<CartLine[]>;
  /** Adds to the sku's line (creating it); enforces MAX_QUANTITY and MAX_LINES. */
  add(cartId: string, sku: string, quantity: number): Promise<CartLine[]>;
  /** Sets an existing line's quantity; 0 removes the line. NotInCartError if absent. */
  setQuantity(cartId: string, sku: string, quantity: number): Promise<CartLine[]>;
  /** Empties the cart into a new order of the user's, in one atomic step. */
  checkout(cartId: string, userId: string, makeOrder: (lines: CartLine[]) => Order): Promise<Order>;
  discard(cartId: string): Promise<void>;
}

/** Orders belong to a user and outlive sessions. Written by CartRepository.checkout. */
export interface OrderRepository {
  /** Oldest first. */
  list(userId: string): Promise<Order[]>;
}
