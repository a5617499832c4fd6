// A database an instance serves with as soon as it starts, as it does with Redis: its pool at once,
// its preparation (migrations, seed data) in the background, tried again every second until the
// database answers. Until then, what needs it answers 503 STORE_UNAVAILABLE and /readyz says 503.
// A request's statements go through `rows` and `transaction`, which wait for the preparation and
// hold the stores' deadline, so an adapter's code is its SQL and nothing else.
import { withinStoreDeadline } from "@cart/domain";
import type { Pool, PoolClient } from "pg";
import { domainRows } from "./domain-rows";
import { inOneTrip, type Statement } from "./one-trip";
import { createPgPool, dbCall, inTransaction, isPgReady } from "./pg-pool";

const RETRY_MS = 1000;

/** Statements on one connection, inside a transaction. */
export interface Transaction {
  readonly client: PoolClient;
  /** The statement's rows as domain values (domain-rows.ts). */
  rows<T>(sql: string, values?: readonly unknown[]): Promise<T[]>;
}

export interface Database {
  readonly pool: Pool;
  /** Resolves once the database is prepared; never rejects. */
  readonly prepared: Promise<void>;
  /**
   * A request's statement: once the database is prepared, within the stores' deadline (503
   * STORE_UNAVAILABLE past it), its rows as domain values (domain-rows.ts).
   */
  rows<T>(sql: string, values?: readonly unknown[]): Promise<T[]>;
  /** A request's transaction, likewise: committed if `work` resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * A request's transaction of statements that need no answer from each other, sent together in
   * one round trip (pg-pool.ts, inOneTrip): all committed, or none if one fails (which it rejects
   * with). Each statement's rows, as domain values.
   */
  inOneTrip(statements: readonly Statement[]): Promise<unknown[][]>;
  /** For /readyz: whether the database answers, and is prepared. */
  isReady(): Promise<boolean>;
  /** Closes the pool (the server is stopping). */
  close(): Promise<void>;
}

/** The database behind `pool`, usable once `prepared` resolves. */
export function databaseOf(pool: Pool, prepared: Promise<void>): Database {
  let isPrepared = false;
  void prepared.then(() => (isPrepared = true));
  return {
    pool,
    prepared,
    async rows<T>(sql: string, values?: readonly unknown[]) {
      await whenPrepared(prepared);
      return domainRows<T>(await dbCall(() => pool.query(sql, values && [...values])));
    },
    async transaction(work) {
      await whenPrepared(prepared);
      return inTransaction(pool, (client) =>
        work({ client, rows: async (sql, values) => domainRows(await client.query(sql, values && [...values])) }),
      );
    },
    async inOneTrip(statements) {
      await whenPrepared(prepared);
      return (await inOneTrip(pool, statements)).map((result) => domainRows(result));
    },
    isReady: async () => isPrepared && isPgReady(pool),
    close: () => pool.end(),
  };
}

/** A pool for `url`, and `prepare` run on it in the background until it succeeds (or the pool ends). */
export function openDatabase(url: string, prepare: (pool: Pool) => Promise<void>): Database {
  const pool = createPgPool(url);
  const prepared = (async () => {
    for (let failures = 0; !pool.ending; failures++) {
      try {
        await prepare(pool);
        if (failures > 0) console.log("postgres: database ready");
        return;
      } catch (error) {
        if (failures === 0)
          console.error(`postgres: cannot prepare the database (${(error as Error).message}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  })();
  return databaseOf(pool, prepared);
}

/**
 * Waits until the database is prepared, within the stores' deadline: STORE_UNAVAILABLE after it.
 * Not a store operation of the request's (Server-Timing): it asks the database nothing.
 */
function whenPrepared(prepared: Promise<void>): Promise<void> {
  return withinStoreDeadline(() => prepared);
}
