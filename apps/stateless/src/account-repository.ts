// Orders and store credit in PostgreSQL, shared by every instance and kept through any restart.
// Placing an order is one transaction: the order, the debit, its ledger line and the kitchen's job
// (if it has anything to cook) commit together or not at all. The debit is a conditional update
// (see `debit`), so parallel checkouts on any instances can never spend the same money twice; so
// are the kitchen's writes (`start`, `finish`), so a job delivered twice never cooks its order
// twice.
import {
  InsufficientCreditError,
  NoOrderError,
  needsKitchen,
  orderDescription,
  type AccountRepository,
  type KitchenOrders,
  type LedgerEntry,
  type Order,
  type OrderStatus,
  type Wallet,
} from "@cart/domain";
import { dbCall, inTransaction, whenPrepared, type Database } from "@cart/pg-kit";
import type { Pool, PoolClient } from "pg";

/**
 * Where placing an order hands it to the kitchen, on the order's own transaction (`client`): the
 * kitchen's job in PostgreSQL (kitchen.ts), so that the order and its job commit together.
 */
export interface KitchenHandover {
  add(client: PoolClient, order: Order): Promise<void>;
}

interface OrderRow {
  id: string;
  items: Order["items"];
  total_cents: string;
  created_at: Date;
  status: OrderStatus;
  prepared_by: string | null;
  started_at: Date | null;
  ready_at: Date | null;
  attempts: number;
  cooked: number;
}

interface LedgerRow {
  amount_cents: string;
  balance_cents: string;
  description: string;
  order_id: string | null;
  created_at: Date;
}

const ORDER_COLUMNS = "id, items, total_cents, created_at, status, prepared_by, started_at, ready_at, attempts, cooked";

export class PgAccountRepository implements AccountRepository, KitchenOrders {
  readonly where = "in the database";
  private readonly pool: Pool;

  constructor(
    private readonly database: Database,
    private readonly kitchen: KitchenHandover,
  ) {
    this.pool = database.pool;
  }

  async place(userId: string, order: Order): Promise<Order> {
    await whenPrepared(this.database);
    return inTransaction(this.pool, async (client) => {
      // First the order, whose id is the checkout's: a second try of the same checkout (or a
      // parallel one) waits here for the first to commit, then inserts nothing and pays nothing.
      const inserted = await client.query(
        `INSERT INTO orders (id, user_id, items, total_cents, created_at, status, ready_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
        [order.id, userId, JSON.stringify(order.items), order.totalCents, order.createdAt, order.status, order.readyAt],
      );
      if (inserted.rowCount === 0) return placedEarlier(client, userId, order.id);
      const balanceCents = await this.debit(client, userId, order.totalCents);
      await client.query(
        `INSERT INTO ledger (user_id, amount_cents, balance_cents, description, order_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [userId, -order.totalCents, balanceCents, orderDescription(order), order.id, order.createdAt],
      );
      if (needsKitchen(order.items)) await this.kitchen.add(client, order);
      return order;
    });
  }

  async orders(userId: string): Promise<Order[]> {
    await whenPrepared(this.database);
    const { rows } = await dbCall(() =>
      this.pool.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE user_id = $1 ORDER BY seq`, [userId]),
    );
    return rows.map(toOrder);
  }

  async order(userId: string, orderId: string): Promise<Order> {
    await whenPrepared(this.database);
    const { rows } = await dbCall(() =>
      this.pool.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 AND user_id = $2`, [
        orderId,
        userId,
      ]),
    );
    if (!rows[0]) throw new NoOrderError(orderId, this.where);
    return toOrder(rows[0]);
  }

  /**
   * One statement: an order that is ready is left alone, whoever asks. The kitchen's writes are
   * not a request's: no deadline of ours (the pool's statement timeout still ends a hung one), and
   * a failure fails the job, which is delivered again.
   */
  async start(orderId: string, cook: string, at: Date) {
    const { rows } = await this.pool.query<Pick<OrderRow, "attempts" | "items">>(
      `UPDATE orders SET status = 'preparing', prepared_by = $2, started_at = $3, attempts = attempts + 1
       WHERE id = $1 AND status <> 'ready' RETURNING attempts, items`,
      [orderId, cook, at],
    );
    return rows[0] && { attempt: rows[0].attempts, items: rows[0].items };
  }

  /**
   * One statement, the guard against cooking twice: only the latest attempt may finish the order.
   * A worker whose job was delivered again meanwhile (it stalled past its lease) finds a later
   * attempt there, and its cooking is not recorded.
   */
  async finish(orderId: string, attempt: number, at: Date): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE orders SET status = 'ready', ready_at = $3, cooked = cooked + 1
       WHERE id = $1 AND status = 'preparing' AND attempts = $2`,
      [orderId, attempt, at],
    );
    return rowCount === 1;
  }

  /** The ledger alone, in one statement: its last line's balance is the balance it adds up to. */
  async wallet(userId: string): Promise<Wallet> {
    await whenPrepared(this.database);
    const { rows } = await dbCall(() =>
      this.pool.query<LedgerRow>(
        `SELECT amount_cents, balance_cents, description, order_id, created_at
         FROM ledger WHERE user_id = $1 ORDER BY id`,
        [userId],
      ),
    );
    const ledger = rows.map(toLedgerEntry);
    return { balanceCents: ledger.at(-1)?.balanceCents ?? 0, ledger };
  }

  /**
   * Takes `cents` from the wallet, if it holds that much, in one statement: the condition is checked
   * by the database on the row it locks for the update. A parallel checkout's update waits for this
   * transaction to end, then checks the condition again on the balance this one left. (Reading the
   * balance, checking it here, then writing the new one would let two checkouts read the same
   * balance and both spend it: see the stateless app's tests.)
   */
  protected async debit(client: PoolClient, userId: string, cents: number): Promise<number> {
    const { rows } = await client.query<{ balance_cents: string }>(
      `UPDATE wallets SET balance_cents = balance_cents - $2
       WHERE user_id = $1 AND balance_cents >= $2 RETURNING balance_cents`,
      [userId, cents],
    );
    if (rows[0]) return Number(rows[0].balance_cents);
    const left = await client.query<{ balance_cents: string }>("SELECT balance_cents FROM wallets WHERE user_id = $1", [
      userId,
    ]);
    throw new InsufficientCreditError(Number(left.rows[0]?.balance_cents ?? 0), cents);
  }
}

async function placedEarlier(client: PoolClient, userId: string, orderId: string): Promise<Order> {
  const { rows } = await client.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 AND user_id = $2`, [
    orderId,
    userId,
  ]);
  if (!rows[0]) throw new Error(`Order ${orderId} exists, but is not ${userId}'s`);
  return toOrder(rows[0]);
}

const toOrder = (row: OrderRow): Order => ({
  id: row.id,
  items: row.items,
  totalCents: Number(row.total_cents),
  createdAt: row.created_at.toISOString(),
  status: row.status,
  ...(row.prepared_by ? { preparedBy: row.prepared_by } : {}),
  ...(row.started_at ? { startedAt: row.started_at.toISOString() } : {}),
  ...(row.ready_at ? { readyAt: row.ready_at.toISOString() } : {}),
  attempts: row.attempts,
  cooked: row.cooked,
});

const toLedgerEntry = (row: LedgerRow): LedgerEntry => ({
  amountCents: Number(row.amount_cents),
  balanceCents: Number(row.balance_cents),
  description: row.description,
  ...(row.order_id ? { orderId: row.order_id } : {}),
  createdAt: row.created_at.toISOString(),
});
