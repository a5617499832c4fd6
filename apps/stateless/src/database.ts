// PostgreSQL, where the stateless shop keeps what must last: orders, store credit, the kitchen's
// queue (pg-boss's own tables, in their own schema) and the chat's messages and read marks. Its schema is
// versioned (migrations run once per database, however many instances start together), and every
// demo user's wallet is opened with their starting credit the first time the database is seen,
// directly, never through a public route. server.ts runs this in the background (pg-kit's
// openDatabase): the instance serves meanwhile, and what needs the database answers 503.
import { STARTING_CREDIT, startingCredits } from "@cart/domain";
import { migrate, type Migration } from "@cart/pg-kit";
import type { Pool } from "pg";

const MIGRATIONS: readonly Migration[] = [
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
    version: 2,
    name: "the chat's messages and read marks",
    // A conversation's ids count up from 1 (its row holds the last one given). `at` is kept as the
    // ISO text the message carries, so it reads back exactly as it was sent.
    sql: `
      CREATE TABLE chat_conversations (
        conversation text PRIMARY KEY,
        last_id integer NOT NULL
      );
      CREATE TABLE chat_messages (
        conversation text NOT NULL REFERENCES chat_conversations,
        id integer NOT NULL,
        sender text NOT NULL,
        recipient text NOT NULL,
        text text NOT NULL,
        at text NOT NULL,
        served_by text NOT NULL,
        ref text,
        PRIMARY KEY (conversation, id)
      );
      CREATE INDEX chat_messages_by_ref ON chat_messages (conversation, sender, ref) WHERE ref IS NOT NULL;
      CREATE INDEX chat_messages_to ON chat_messages (recipient, sender, id);
      CREATE TABLE chat_reads (
        reader text NOT NULL,
        other text NOT NULL,
        up_to integer NOT NULL,
        PRIMARY KEY (reader, other)
      );`,
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
];

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

/**
 * Migrates the database and opens the demo users' wallets, then prepares what else lives in it
 * (`more`: the kitchen's queue, kitchen.ts's prepareKitchen); safe to run again, and from many
 * instances at once.
 */
export async function prepareDatabase(pool: Pool, ...more: ((pool: Pool) => Promise<void>)[]): Promise<void> {
  await migrate(pool, MIGRATIONS);
  const credits = startingCredits();
  await pool.query(OPEN_WALLETS, [credits.map((c) => c.userId), credits.map((c) => c.cents), STARTING_CREDIT]);
  for (const prepare of more) await prepare(pool);
}
