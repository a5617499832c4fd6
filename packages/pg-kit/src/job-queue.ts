// A queue of jobs in PostgreSQL, for work that must outlive the server that took it on: pg-boss's
// tables, in a schema of their own in the database the app already has. A job's statement is sent
// in the caller's transaction, so it commits with the row it is about (an order and its job exist
// together or not at all: an outbox with no relay), and it is leased to one worker at a time
// (job-workers.ts): a worker that dies or stalls loses its lease, and the job is delivered again.
import { withinStoreDeadline } from "@cart/domain";
import { createHash } from "node:crypto";
import { PgBoss, type Db as IDatabase } from "pg-boss";
import type { Pool, PoolClient } from "pg";
import type { Database } from "./background-database";
import { pause } from "./pause";
import type { Statement } from "./one-trip";
import { isOutage } from "./pg-pool";

export const JOB_SCHEMA = "pgboss";

/** What happens to a queue's jobs after a delivery that failed, or whose lease ran out. */
export interface RetryPolicy {
  /** How often a job is delivered again before it is given up. */
  readonly retryLimit: number;
}

/** pg-boss talks to the database through our pool or one transaction's connection, never a pool of its own. */
export const throughPool = (runner: Pool | PoolClient): IDatabase => ({
  executeSql: (text: string, values?: unknown[]) => runner.query(text, values),
});

/** Any number the queues' preparation alone uses as its lock ("kitc", for the kitchen's, the first). */
const PREPARE_LOCK = 0x6b697463;

/**
 * pg-boss's tables and the queue `name` with its retry policy: part of preparing the database,
 * once per database, safe from many instances at once. pg-boss checks whether it is installed
 * before it takes its own lock, so instances starting together on a new database race on its
 * CREATE SCHEMA ("duplicate key value violates unique constraint pg_namespace_nspname_index");
 * hence a lock of ours around the whole of it, held by a connection of its own (closed after,
 * which ends the lock), with no deadline while it waits. The policy is written every time, so a
 * new release's policy holds from its first server on.
 */
export async function prepareJobQueue(pool: Pool, name: string, { retryLimit }: RetryPolicy): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SET statement_timeout = 0");
    await client.query("SELECT pg_advisory_lock($1)", [PREPARE_LOCK]);
    const boss = newBoss(throughPool(client), { migrate: true, supervise: false });
    boss.on("error", () => undefined); // start() rejects with the same error
    await boss.start();
    // Delivered again at once: a lease that ran out has already made the job wait.
    const policy = { retryLimit, retryDelay: 0 };
    await boss.createQueue(name, policy);
    await boss.updateQueue(name, policy);
    await boss.stop({ graceful: false, close: false });
  } finally {
    client.release(true);
  }
}

/** How often the upkeep notices a lease that ran out (pg-boss's least). */
const UPKEEP_SECONDS = 1;

/**
 * A pg-boss on `db`, its schema ours, and none of its optional machinery: schedules, its registry
 * of instances, and the upkeep's checks on vacuum and index bloat (run on every pass, which here
 * is every second, they are for big queues' operators; a kitchen's table is small).
 */
function newBoss(db: IDatabase, { migrate, supervise }: { migrate: boolean; supervise: boolean }): PgBoss {
  return new PgBoss({
    db,
    schema: JOB_SCHEMA,
    migrate,
    supervise,
    schedule: false,
    registerInstance: false,
    monitorVacuum: false,
    reindex: false,
    superviseIntervalSeconds: UPKEEP_SECONDS,
    monitorIntervalSeconds: UPKEEP_SECONDS,
  });
}

/** What a worker fetched: the job, and which delivery of it this is. */
export interface Delivery<Data> {
  readonly id: string;
  readonly data: Data;
  /** Counts the deliveries before this one: a report names it, so a later delivery's job is never settled by an earlier one. */
  readonly retryCount: number;
  /** When the lease runs out, in the server's clock (ms since the epoch). */
  readonly leaseEnds: number;
}

/**
 * One queue, as a server sees it: where its jobs are sent, and where its workers (job-workers.ts)
 * take them from and report them. pg-boss serves it once the database is prepared, started when
 * first needed (at once with `upkeep`, else at the first job sent or fetched) and tried again every
 * second while the database is away; with `upkeep`, it also gives back the jobs whose lease ran
 * out, on every server (pg-boss makes sure one at a time does).
 */
export class JobQueue<Data extends object> {
  private readonly boss: PgBoss;
  private readonly stopping = new AbortController();
  private starting: Promise<PgBoss | undefined> | undefined;

  constructor(
    private readonly database: Database,
    readonly name: string,
    { upkeep, label }: { upkeep: boolean; label: string },
  ) {
    this.boss = newBoss(outageSayer(label).watching(throughPool(database.pool)), { migrate: false, supervise: upkeep });
    // Its upkeep's and its caches' errors: an outage is said once (by `watching`), and tried again a second later.
    this.boss.on("error", (error: Error) => {
      if (!isOutage(error)) console.error(`${label}: ${error.message}`);
    });
    if (upkeep) void this.started;
  }

  /** pg-boss, started; undefined if the queue was stopped first. A bug of ours at start (not an outage) rejects. */
  private get started(): Promise<PgBoss | undefined> {
    if (!this.starting) {
      this.starting = this.start();
      // Said by the next send or fetch, which awaits it.
      this.starting.catch(() => undefined);
    }
    return this.starting;
  }

  private async start(): Promise<PgBoss | undefined> {
    if (this.stopping.signal.aborted) return undefined;
    // Stopped before the database was ever prepared: nothing to start.
    const stopped = new Promise((resolve) => this.stopping.signal.addEventListener("abort", resolve));
    await Promise.race([this.database.prepared, stopped]);
    while (!this.stopping.signal.aborted) {
      try {
        return await this.boss.start();
      } catch (error) {
        // A start that failed may be tried again on the same instance.
        if (!isOutage(error)) throw error;
        await pause(UPKEEP_SECONDS * 1000, this.stopping.signal);
      }
    }
    return undefined;
  }

  /**
   * The statement that queues a job, for the caller to send in its own transaction (Database's
   * inOneTrip): the job commits with the caller's writes, or not at all, and costs no round trip of
   * its own. pg-boss writes the statement (its `db` option takes any adapter); this one keeps the
   * statement instead of running it. Named after its text, so each connection plans it once:
   * pg-boss's INSERT (one statement with many parameters, the queue's settings joined in) is costly
   * to plan, and planned once it costs a checkout about half as much. Within the stores' deadline:
   * pg-boss started and the queue's settings read (once per server, not timed as a request's), or
   * STORE_UNAVAILABLE.
   */
  jobStatement(data: Data, { leaseSeconds }: { leaseSeconds: number }): Promise<Statement> {
    return withinStoreDeadline(async () => {
      const boss = await this.ready();
      let statement: Statement | undefined;
      const keeper: IDatabase = {
        executeSql: async (text: string, values?: unknown[]) => {
          if (statement) throw new Error("pg-boss asked for a second statement to queue one job");
          const name = `${this.name}-job-${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
          statement = { name, text, values };
          return { rows: [{ id: undefined }] };
        },
      };
      await boss.send(this.name, data, { db: keeper, expireInSeconds: Math.max(1, Math.ceil(leaseSeconds)) });
      if (!statement) throw new Error("pg-boss queued the job without a statement");
      return statement;
    });
  }

  /** The next job, leased to the caller; none while the database is away or the queue is stopping. */
  async fetch(): Promise<Delivery<Data> | undefined> {
    const boss = await this.started;
    if (!boss) return undefined;
    const [job] = await boss.fetch<Data>(this.name, { batchSize: 1 }).catch((error: unknown) => {
      if (isOutage(error)) return [];
      throw error;
    });
    if (!job) return undefined;
    const { id, data, retryCount } = job;
    return { id, data, retryCount, leaseEnds: Date.now() + job.expireInSeconds * 1000 };
  }

  /** Reports the delivery done. Rejects while the database is away. */
  async complete({ id, retryCount }: Delivery<Data>): Promise<void> {
    await (await this.ready()).complete(this.name, { id, retryCount });
  }

  /** Reports the delivery failed: the job is delivered again (within the queue's retry limit). Rejects while the database is away. */
  async fail({ id, retryCount }: Delivery<Data>, message: string): Promise<void> {
    await (await this.ready()).fail(this.name, { id, retryCount }, { message });
  }

  /** Stops pg-boss (its upkeep and caches); the pool stays open for its owner to close. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.starting?.catch(() => undefined);
    // Also after a start that failed half-way (its caches' timers run), and a no-op if none began.
    await this.boss.stop({ graceful: false, close: false }).catch(() => undefined);
  }

  private async ready(): Promise<PgBoss> {
    const boss = await this.started;
    if (!boss) throw new Error(`the job queue ${this.name} is stopped`);
    return boss;
  }
}

/** Says once when the database stops answering pg-boss, and once when it answers again. */
function outageSayer(label: string) {
  let away = false;
  return {
    watching: (db: IDatabase): IDatabase => ({
      async executeSql(text: string, values?: unknown[]) {
        try {
          const result = await db.executeSql(text, values);
          if (away) console.log(`${label}: PostgreSQL answers again`);
          away = false;
          return result;
        } catch (error) {
          if (!away && isOutage(error))
            console.error(`${label}: PostgreSQL does not answer (${(error as Error).message}); waiting for it`);
          away ||= isOutage(error);
          throw error;
        }
      },
    }),
  };
}
