// Orders and store credit in this process's memory: every server opens each user's wallet with
// their starting credit and knows only what was spent through it, like an ATM that keeps balances
// to itself. A payment reads and writes the wallet without an `await` in between, so it is atomic
// within the process, and invisible to every other one. All of it dies with the process.
import { openingEntry, pay, startingCredits, type AccountRepository, type Order, type Wallet } from "@cart/domain";

export class InMemoryAccountRepository implements AccountRepository {
  private readonly ordersByUser = new Map<string, Order[]>();
  private readonly wallets = new Map<string, Wallet>();

  constructor() {
    const now = new Date();
    for (const { userId, cents } of startingCredits()) {
      this.wallets.set(userId, { balanceCents: cents, ledger: [openingEntry(cents, now)] });
    }
  }

  async place(userId: string, order: Order): Promise<Order> {
    const placed = this.ordersByUser.get(userId) ?? [];
    const earlier = placed.find((candidate) => candidate.id === order.id);
    if (earlier) return earlier;
    this.wallets.set(userId, pay(this.walletOf(userId), order));
    this.ordersByUser.set(userId, [...placed, order]);
    return order;
  }

  async orders(userId: string): Promise<Order[]> {
    return [...(this.ordersByUser.get(userId) ?? [])];
  }

  async wallet(userId: string): Promise<Wallet> {
    return this.walletOf(userId);
  }

  private walletOf(userId: string): Wallet {
    return this.wallets.get(userId) ?? { balanceCents: 0, ledger: [] };
  }
}
