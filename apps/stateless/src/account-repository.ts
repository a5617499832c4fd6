// Orders and store credit in PostgreSQL, shared by every instance and kept through any restart.
// Placing an order is one transaction sent in one round trip: the order, its payment, its ledger
// line and the kitchen's job (if it has anything to cook) commit together or not at all. The
// payment is a debit the wallet's own rule refuses below zero (see `PLACE`), so parallel checkouts
// on any instances can never spend the same money twice; the kitchen's writes are conditional too
// (`start`, `finish`), so a job delivered twice never cooks its order twice.
import {
  InsufficientCreditError,
  NoOrderError,
  needsKitchen,
  orderDescription,
  STARTING_CREDIT,
  startingCredits,
  type AccountRepository,
  type KitchenOrders,
  type LedgerEntry,
  type Order,
  type Wallet,
} from "@cart/domain";
import { violates, type Database, type Schema, type Statement } from "@cart/pg-kit";

/** Opens the wallets of demo users who have none yet, each with its first ledger line. */
const OPEN_WALLETS = `
  WITH opened AS (
    INSERT INTO wallets (user_id, balance_cents)
    SELECT * FROM unnest($1::text[], $2::bigint[])
    ON CONFLICT (user_id) DO NOTHING
    RETURNING user_id, balance_cents
  )
  INSERT INTO ledger (user_id, amount_cents, balance_cents, description)
  SELECT user_id, balance_cents, balance_cents, $3 FROM opened`;

/** The tables of orders and store credit, and the demo users' wallets. */
export const ACCOUNTS_SCHEMA: Schema = {
  migrations: [
    {
      version: 1,
      name: "orders, wallets and their ledger",
      // `seq` orders a user's orders as they were placed. Items stay `json`, not `jsonb`, so an order
      // reads back exactly as it was written, keys in their order.
      sql: `
        CREATE TABLE orders (
          id uuid PRIMARY KEY,
          seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
          user_id text NOT NULL,
          items json NOT NULL,
          total_cents bigint NOT NULL CHECK (total_cents > 0),
          created_at timestamptz NOT NULL
        );
        CREATE INDEX orders_by_user ON orders (user_id, seq);
        CREATE TABLE wallets (
          user_id text PRIMARY KEY,
          balance_cents bigint NOT NULL CHECK (balance_cents >= 0)
        );
        CREATE TABLE ledger (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          user_id text NOT NULL REFERENCES wallets,
          amount_cents bigint NOT NULL,
          balance_cents bigint NOT NULL,
          description text NOT NULL,
          order_id uuid REFERENCES orders,
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX ledger_by_user ON ledger (user_id, id);`,
    },
    {
      version: 3,
      name: "the kitchen's progress on each order",
      // Orders placed before the kitchen existed were handed over as they were placed: ready, never
      // cooked here. From now on an order starts `placed`, and its job is queued with it.
      sql: `
        ALTER TABLE orders
          ADD COLUMN status text NOT NULL DEFAULT 'ready' CHECK (status IN ('placed', 'preparing', 'ready')),
          ADD COLUMN prepared_by text,
          ADD COLUMN started_at timestamptz,
          ADD COLUMN ready_at timestamptz,
          ADD COLUMN attempts integer NOT NULL DEFAULT 0,
          ADD COLUMN cooked integer NOT NULL DEFAULT 0;
        ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'placed';`,
    },
    {
      version: 4,
      name: "an order is paid from its user's wallet",
      sql: `ALTER TABLE orders ADD CONSTRAINT orders_paid_from_wallet FOREIGN KEY (user_id) REFERENCES wallets;`,
    },
  ],
  // Every demo user's wallet, opened with their starting credit (its first ledger line) the first
  // time the database is seen: directly, never through a public route.
  prepare: async (pool) => {
    const credits = startingCredits();
    await pool.query(OPEN_WALLETS, [credits.map((c) => c.userId), credits.map((c) => c.cents), STARTING_CREDIT]);
  },
};

/**
 * An order placed and paid for in one statement, each part named for the rule it keeps. The order
 * first, its id the checkout's: a second try of the same checkout waits for the first to commit,
 * then fails on that key and pays nothing. Its debit: the wallet's CHECK (balance_cents >= 0),
 * checked by the database on the row it locks, refuses to leave less than nothing, so a parallel
 * checkout's debit waits, then meets the balance this one left. (Reading the balance, checking it
 * here, then writing it would let two checkouts both spend it: see the tests.) Its ledger line.
 */
const PLACE = `
  WITH the_order AS (
    INSERT INTO orders (id, user_id, items, total_cents, created_at, status, ready_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, user_id, total_cents, created_at
  ), its_debit AS (
    UPDATE wallets SET balance_cents = balance_cents - the_order.total_cents FROM the_order
    WHERE wallets.user_id = the_order.user_id RETURNING the_order.*, balance_cents
  )
  INSERT INTO ledger (user_id, amount_cents, balance_cents, description, order_id, created_at)
  SELECT user_id, -total_cents, balance_cents, $8, id, created_at FROM its_debit`;

/** An order as the domain has it (the kit gives rows as domain values). */
const ORDER = `SELECT id, items, total_cents, created_at, status, prepared_by, started_at, ready_at, attempts, cooked
  FROM orders`;

export class PgAccountRepository implements AccountRepository, KitchenOrders {
  readonly where = "in the database";

  constructor(
    private readonly database: Database,
    /** The kitchen's queue (kitchen.ts): the statements that queue an order's job, sent with the order's. */
    private readonly kitchen: { queueing(order: Order): Promise<readonly Statement[]> },
  ) {}

  async place(userId: string, order: Order): Promise<Order> {
    const { id, items, totalCents } = order;
    const values = [id, userId, JSON.stringify(items), totalCents, order.createdAt, order.status, order.readyAt];
    const job = needsKitchen(items) ? await this.kitchen.queueing(order) : [];
    try {
      const placing = { name: "place-order", text: PLACE, values: [...values, orderDescription(order)] };
      await this.database.inOneTrip([placing, ...job]);
      return order;
    } catch (error) {
      if (violates(error, "orders_pkey")) return this.order(userId, id); // placed by an earlier try
      if (!violates(error, "wallets_balance_cents_check") && !violates(error, "orders_paid_from_wallet")) throw error;
      const [left] = await this.database.rows<Wallet>("SELECT balance_cents FROM wallets WHERE user_id = $1", [userId]);
      throw new InsufficientCreditError(left?.balanceCents ?? 0, totalCents);
    }
  }

  async orders(userId: string): Promise<Order[]> {
    return this.database.rows<Order>(`${ORDER} WHERE user_id = $1 ORDER BY seq`, [userId]);
  }

  async order(userId: string, orderId: string): Promise<Order> {
    const [order] = await this.database.rows<Order>(`${ORDER} WHERE id = $1 AND user_id = $2`, [orderId, userId]);
    if (!order) throw new NoOrderError(orderId, this.where);
    return order;
  }

  /** The ledger alone, in one statement: its last line's balance is the balance it adds up to. */
  async wallet(userId: string): Promise<Wallet> {
    const ledger = await this.database.rows<LedgerEntry>(
      `SELECT amount_cents, balance_cents, description, order_id, created_at FROM ledger WHERE user_id = $1 ORDER BY id`,
      [userId],
    );
    return { balanceCents: ledger.at(-1)?.balanceCents ?? 0, ledger };
  }

  /**
   * One statement: an order that is ready is left alone, whoever asks. The kitchen's writes are
   * not a request's: no deadline of ours (the pool's statement timeout still ends a hung one), and
   * a failure fails the job, which is delivered again.
   */
  async start(orderId: string, cook: string, at: Date) {
    const { rows } = await this.database.pool.query<{ attempt: number; items: Order["items"] }>(
      `UPDATE orders SET status = 'preparing', prepared_by = $2, started_at = $3, attempts = attempts + 1
       WHERE id = $1 AND status <> 'ready' RETURNING attempts AS attempt, items`,
      [orderId, cook, at],
    );
    return rows[0];
  }

  /**
   * One statement, the guard against cooking twice: only the latest attempt may finish the order.
   * A worker whose job was delivered again meanwhile (it stalled past its lease) finds a later
   * attempt there, and its cooking is not recorded.
   */
  async finish(orderId: string, attempt: number, at: Date): Promise<boolean> {
    const { rowCount } = await this.database.pool.query(
      `UPDATE orders SET status = 'ready', ready_at = $3, cooked = cooked + 1
       WHERE id = $1 AND status = 'preparing' AND attempts = $2`,
      [orderId, attempt, at],
    );
    return rowCount === 1;
  }
}
