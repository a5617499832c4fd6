// Carts in this process's memory, keyed by session id. Each write reads and replaces the cart
// without an `await` in between, so it is atomic within the process — and invisible to every
// other process. A cart expires with its session (untouched for the session's lifetime):
// nothing else would ever free the memory of a user who just walked away.
import { addLine, setLineQuantity, type CartLine, type CartRepository, type Order } from "@cart/domain";
import type { InMemoryOrderRepository } from "./order-repository";

export class InMemoryCartRepository implements CartRepository {
  private readonly carts = new Map<string, { lines: CartLine[]; expiresAt: number }>();

  constructor(
    private readonly orders: InMemoryOrderRepository,
    private readonly ttlSeconds: number,
  ) {}

  async lines(cartId: string): Promise<CartLine[]> {
    return this.current(cartId);
  }

  async add(cartId: string, sku: string, quantity: number): Promise<CartLine[]> {
    return this.replace(cartId, addLine(this.current(cartId), sku, quantity));
  }

  async setQuantity(cartId: string, sku: string, quantity: number): Promise<CartLine[]> {
    return this.replace(cartId, setLineQuantity(this.current(cartId), sku, quantity));
  }

  async checkout(cartId: string, userId: string, makeOrder: (lines: CartLine[]) => Order): Promise<Order> {
    const order = makeOrder(this.current(cartId));
    this.carts.delete(cartId);
    this.orders.append(userId, order);
    return order;
  }

  async discard(cartId: string): Promise<void> {
    this.carts.delete(cartId);
  }

  /** Drops the carts nobody has touched for the session's lifetime. */
  forgetExpired(now = Date.now()): void {
    for (const [cartId, cart] of this.carts) if (cart.expiresAt <= now) this.carts.delete(cartId);
  }

  private current(cartId: string): CartLine[] {
    const cart = this.carts.get(cartId);
    return cart && cart.expiresAt > Date.now() ? cart.lines : [];
  }

  private replace(cartId: string, lines: CartLine[]): CartLine[] {
    if (lines.length === 0) this.carts.delete(cartId);
    else this.carts.set(cartId, { lines, expiresAt: Date.now() + this.ttlSeconds * 1000 });
    return lines;
  }
}
