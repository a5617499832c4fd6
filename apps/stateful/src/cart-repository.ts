// Carts in this process's memory, keyed by session id. Each write reads and replaces the cart
// without an `await` in between, so it is atomic within the process — and invisible to every
// other process. A cart expires with its session (untouched for the session's lifetime), and a
// sweep forgets the expired ones: nothing else would ever free the memory of a user who just
// walked away (Redis expires a key by itself).
import { randomUUID } from "node:crypto";
import { addLine, setLineQuantity, withoutOrdered, type CartLine, type CartRepository, type Order } from "@cart/domain";

const SWEEP_MS = 60_000;

interface Cart {
  readonly lines: CartLine[];
  readonly expiresAt: number;
  /** The id of the order this cart is becoming, from its checkout's first try until it is settled. */
  readonly orderId?: string;
}

export class InMemoryCartRepository implements CartRepository {
  private readonly carts = new Map<string, Cart>();

  constructor(private readonly ttlSeconds: number) {
    setInterval(() => this.forgetExpired(), SWEEP_MS).unref();
  }

  async lines(cartId: string): Promise<CartLine[]> {
    return this.current(cartId);
  }

  async add(cartId: string, sku: string, quantity: number): Promise<CartLine[]> {
    return this.replace(cartId, addLine(this.current(cartId), sku, quantity), this.live(cartId)?.orderId);
  }

  async setQuantity(cartId: string, sku: string, quantity: number): Promise<CartLine[]> {
    return this.replace(cartId, setLineQuantity(this.current(cartId), sku, quantity), this.live(cartId)?.orderId);
  }

  async forCheckout(cartId: string): Promise<{ orderId: string; lines: CartLine[] }> {
    const cart = this.live(cartId);
    if (!cart) return { orderId: randomUUID(), lines: [] };
    const orderId = cart.orderId ?? randomUUID();
    this.carts.set(cartId, { ...cart, orderId });
    return { orderId, lines: cart.lines };
  }

  async settle(cartId: string, order: Order): Promise<void> {
    const cart = this.live(cartId);
    if (cart?.orderId !== order.id) return;
    this.replace(cartId, withoutOrdered(cart.lines, order.items), undefined);
  }

  async discard(cartId: string): Promise<void> {
    this.carts.delete(cartId);
  }

  /** Drops the carts nobody has touched for the session's lifetime. */
  forgetExpired(now = Date.now()): void {
    for (const [cartId, cart] of this.carts) if (cart.expiresAt <= now) this.carts.delete(cartId);
  }

  private live(cartId: string): Cart | undefined {
    const cart = this.carts.get(cartId);
    return cart && cart.expiresAt > Date.now() ? cart : undefined;
  }

  private current(cartId: string): CartLine[] {
    return this.live(cartId)?.lines ?? [];
  }

  /** A cart emptied is gone, and so is the order it was becoming (a cart filled again is a new one). */
  private replace(cartId: string, lines: CartLine[], orderId: string | undefined): CartLine[] {
    if (lines.length === 0) this.carts.delete(cartId);
    else this.carts.set(cartId, { lines, orderId, expiresAt: Date.now() + this.ttlSeconds * 1000 });
    return lines;
  }
}
