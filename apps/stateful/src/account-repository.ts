// Orders and store credit in this process's memory: every server opens each user's wallet with
// their starting credit and knows only what was spent through it, like an ATM that keeps balances
// to itself. A payment reads and writes the wallet without an `await` in between, so it is atomic
// within the process, and invisible to every other one. A new order goes to this server's own
// kitchen queue in the same step (if it has anything to cook). All of it dies with the process.
import {
  finishCooking,
  needsKitchen,
  NoOrderError,
  openingEntry,
  pay,
  startCooking,
  startingCredits,
  type AccountRepository,
  type KitchenOrders,
  type Order,
  type Wallet,
} from "@cart/domain";
import type { KitchenQueue } from "./kitchen";

export class InMemoryAccountRepository implements AccountRepository, KitchenOrders {
  readonly where: string;
  private readonly ordersByUser = new Map<string, string[]>();
  private readonly byId = new Map<string, Order>();
  private readonly wallets = new Map<string, Wallet>();

  constructor(
    instanceId: string,
    private readonly kitchen: KitchenQueue,
  ) {
    this.where = `on ${instanceId}, the server that answered: each server knows only the orders placed through it`;
    const now = new Date();
    for (const { userId, cents } of startingCredits()) {
      this.wallets.set(userId, { balanceCents: cents, ledger: [openingEntry(cents, now)] });
    }
  }

  async place(userId: string, order: Order): Promise<Order> {
    const placed = this.ordersByUser.get(userId) ?? [];
    if (placed.includes(order.id)) return this.byId.get(order.id)!;
    this.wallets.set(userId, pay(this.walletOf(userId), order));
    this.ordersByUser.set(userId, [...placed, order.id]);
    this.byId.set(order.id, order);
    if (needsKitchen(order.items)) this.kitchen.add(order);
    return order;
  }

  async orders(userId: string): Promise<Order[]> {
    return (this.ordersByUser.get(userId) ?? []).map((id) => this.byId.get(id)!);
  }

  async order(userId: string, orderId: string): Promise<Order> {
    if (!this.ordersByUser.get(userId)?.includes(orderId)) throw new NoOrderError(orderId, this.where);
    return this.byId.get(orderId)!;
  }

  async wallet(userId: string): Promise<Wallet> {
    return this.walletOf(userId);
  }

  async start(orderId: string, cook: string, at: Date) {
    const started = this.byId.has(orderId) ? startCooking(this.byId.get(orderId)!, cook, at) : undefined;
    if (!started) return undefined;
    this.byId.set(orderId, started);
    return { attempt: started.attempts, items: started.items };
  }

  async finish(orderId: string, attempt: number, at: Date): Promise<boolean> {
    const finished = this.byId.has(orderId) ? finishCooking(this.byId.get(orderId)!, attempt, at) : undefined;
    if (finished) this.byId.set(orderId, finished);
    return finished !== undefined;
  }

  private walletOf(userId: string): Wallet {
    return this.wallets.get(userId) ?? { balanceCents: 0, ledger: [] };
  }
}
