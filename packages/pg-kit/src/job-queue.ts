// A queue of jobs in PostgreSQL, for work that must outlive the server that took it on: pg-boss's
// tables, in a schema of their own in the database the app already has. A job is sent inside the
// caller's transaction, so it commits with the row it is about (an order and its job exist
// together or not at all: an outbox with no relay), and it is leased to one worker at a time
// (job-workers.ts): a worker that dies or stalls loses its lease, and the job is delivered again.
import PgBoss from "pg-boss";
import type { Pool, PoolClient } from "pg";
import type { Transaction } from "./background-database";

export const JOB_SCHEMA = "pgboss";

/** pg-boss talks to the database through our pool or one transaction's connection, never a pool of its own. */
export const throughPool = (runner: Pool | PoolClient): PgBoss.Db => ({
  executeSql: (text: string, values: unknown[]) => runner.query(text, values),
});

/**
 * The same, as a statement each connection prepares once: pg-boss's INSERT of a job (one
 * statement with 19 parameters, the queue's settings joined in, into a partitioned table) is
 * costly to plan; planned once per connection, it costs a checkout about half as much.
 */
const prepared = (client: PoolClient, name: string): PgBoss.Db => ({
  executeSql: (text: string, values: unknown[]) => client.query({ name, text, values }),
});

/** Any number the queues' preparation alone uses as its lock ("kitc", for the kitchen's, the first). */
const PREPARE_LOCK = 0x6b697463;

/**
 * pg-boss's tables and the queue `name`: part of preparing the database, once per database, safe
 * from many instances at once. pg-boss checks whether it is installed before it takes its own
 * lock, so instances starting together on a new database race on its CREATE SCHEMA ("duplicate
 * key value violates unique constraint pg_namespace_nspname_index"); hence a lock of ours around
 * the whole of it, held by a connection of its own (closed after, which ends the lock), with no
 * deadline while it waits.
 */
export async function prepareJobQueue(pool: Pool, name: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SET statement_timeout = 0");
    await client.query("SELECT pg_advisory_lock($1)", [PREPARE_LOCK]);
    const boss = new PgBoss({
      db: throughPool(client),
      schema: JOB_SCHEMA,
      supervise: false,
      schedule: false,
      migrate: true,
    });
    boss.on("error", () => undefined); // start() rejects with the same error
    await boss.start();
    await boss.createQueue(name);
    await boss.stop({ graceful: false, close: false });
  } finally {
    client.release(true);
  }
}

export interface SendOptions {
  /** How long a worker holds the job before it is given to another (at least 1 s). */
  readonly leaseSeconds: number;
  /** How often it is delivered again after a failed or lost delivery before it is given up. */
  readonly retryLimit: number;
}

/** Where jobs of one queue are sent. */
export class JobQueue<Data extends object> {
  // Sending needs no started pg-boss: it is one INSERT, made on the caller's connection.
  private readonly boss: PgBoss;

  constructor(
    pool: Pool,
    readonly name: string,
  ) {
    this.boss = new PgBoss({ db: throughPool(pool), schema: JOB_SCHEMA });
  }

  /** Queues a job inside the caller's transaction (`tx`): it commits with the caller's writes, or not at all. */
  async send(tx: Pick<Transaction, "client">, data: Data, { leaseSeconds, retryLimit }: SendOptions): Promise<void> {
    await this.boss.send(this.name, data, {
      db: prepared(tx.client, `${this.name}-send-job`),
      expireInSeconds: Math.max(1, Math.ceil(leaseSeconds)),
      retryLimit,
      retryDelay: 0,
    });
  }
}
