// The kitchen's queue in PostgreSQL, the database the shop already has (pg-boss), and workers on
// every server that take from it. An order's job is written in the transaction that places the
// order, so neither exists without the other. A job is leased to one worker: if that worker dies
// (kill -9), stalls or is stopped, its lease runs out and another server's worker gets the job
// again; `cook`'s conditional writes make sure the order is cooked once however often its job is
// delivered. Redis is not the queue: a job is an order's promise to the customer, not a cache line.
import { cook, cookingMs, type Kitchen, type KitchenSettings, type KitchenOrders, type Order } from "@cart/domain";
import type { Database } from "@cart/pg-kit";
import PgBoss from "pg-boss";
import type { Pool, PoolClient } from "pg";

const SCHEMA = "pgboss";
export const KITCHEN_QUEUE = "kitchen";
/** A job's lease is this many times its cooking time (at least a second, pg-boss's least). */
const LEASE_FACTOR = 3;
/** How often a job is delivered again before it is given up (each delivery whose worker died counts). */
const RETRY_LIMIT = 20;
/** pg-boss's least: how often an idle worker asks for a job. */
const POLLING_SECONDS = 0.5;
/** How often a lease that ran out is noticed (pg-boss's maintenance; its least). */
const MAINTENANCE_SECONDS = 1;
const RETRY_START_MS = 1000;

interface KitchenJob {
  readonly orderId: string;
}

/** pg-boss talks to the database through our pool (no pool of its own), or through one transaction's connection. */
const through = (runner: Pool | PoolClient): PgBoss.Db => ({
  executeSql: (text: string, values: unknown[]) => runner.query(text, values),
});

/**
 * The same, as a statement each connection prepares once: pg-boss's INSERT of a job (one
 * statement with 19 parameters, the queue's settings joined in, into a partitioned table) is
 * costly to plan. Planned once per connection, the job adds about 0.6 ms to a checkout's p50
 * instead of 1.1–1.5 ms (pnpm bench --kitchen; README, "The kitchen").
 */
const prepared = (client: PoolClient, name: string): PgBoss.Db => ({
  executeSql: (text: string, values: unknown[]) => client.query({ name, text, values }),
});

/** Any number the kitchen's preparation alone uses as its lock ("kitc"). */
const PREPARE_LOCK = 0x6b697463;

/**
 * pg-boss's tables and the kitchen's queue: part of preparing the database, once per database.
 * pg-boss checks whether it is installed before it takes its own lock, so three instances starting
 * on a new database all tried to install it; two failed (their CREATE SCHEMA IF NOT EXISTS racing:
 * "duplicate key value violates unique constraint pg_namespace_nspname_index") and were not ready
 * for another second, long enough to answer a checkout 503. Hence a lock of ours around the whole
 * of it, held by a connection of its own (closed after, which ends the lock), with no deadline
 * while it waits.
 */
export async function prepareKitchen(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SET statement_timeout = 0");
    await client.query("SELECT pg_advisory_lock($1)", [PREPARE_LOCK]);
    const boss = new PgBoss({ db: through(client), schema: SCHEMA, supervise: false, schedule: false, migrate: true });
    boss.on("error", () => undefined); // start() rejects with the same error
    await boss.start();
    await boss.createQueue(KITCHEN_QUEUE);
    await boss.stop({ graceful: false, close: false });
  } finally {
    client.release(true);
  }
}

/** Where placing an order puts its job. */
export class KitchenQueue {
  // Sending needs no started pg-boss: it is one INSERT, here made on the caller's connection.
  private readonly boss: PgBoss;

  constructor(
    pool: Pool,
    private readonly kitchenMs: number,
  ) {
    this.boss = new PgBoss({ db: through(pool), schema: SCHEMA });
  }

  /** Queues the order's job inside the caller's transaction: the order and its job commit together, or neither does. */
  async add(client: PoolClient, order: Order): Promise<void> {
    const expireInSeconds = Math.max(1, Math.ceil((LEASE_FACTOR * cookingMs(order.items, this.kitchenMs)) / 1000));
    const job: KitchenJob = { orderId: order.id };
    await this.boss.send(KITCHEN_QUEUE, job, {
      db: prepared(client, "kitchen-send-job"),
      expireInSeconds,
      retryLimit: RETRY_LIMIT,
      retryDelay: 0,
    });
  }
}

/** Starts `workers` workers on this server, once the database is prepared. */
export function startKitchen(database: Database, orders: KitchenOrders, options: KitchenSettings): Kitchen {
  const queue = "PostgreSQL (pg-boss)";
  // A server that cooks nothing leaves the queue to the others, its upkeep too.
  if (options.workers === 0) return { queue, held: () => ({ waiting: 0, cooking: 0 }), stop: async () => undefined };
  const boss = new PgBoss({
    db: through(database.pool),
    schema: SCHEMA,
    migrate: false,
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: MAINTENANCE_SECONDS,
  });
  let healthy = true;
  // A worker that cannot reach the database says so once (again after a job has come through),
  // and keeps asking.
  boss.on("error", (error: Error) => {
    if (healthy) console.error(`kitchen: ${error.message}`);
    healthy = false;
  });
  let cooking = 0;
  let stopping = false;
  let running = false;
  const handle = async ([job]: PgBoss.Job<KitchenJob>[]) => {
    healthy = true;
    cooking++;
    try {
      const { orderId } = job!.data;
      const outcome = await cook(orders, orderId, { cook: options.instanceId, kitchenMs: options.kitchenMs });
      // The guard at work: this worker stalled past its lease, the job went to another, and only
      // that delivery's cooking counts.
      if (outcome === "taken-over")
        console.log(`kitchen: order ${orderId} was taken over by another delivery; not recorded twice`);
      return { outcome };
    } finally {
      cooking--;
    }
  };
  // Waits for the orders being cooked here; past the deadline, gives their jobs back at once
  // (failed, so delivered again, to another server) rather than when their leases run out.
  const stopBoss = (deadlineMs: number) => boss.stop({ graceful: true, close: false, timeout: deadlineMs });
  void (async () => {
    await database.prepared;
    for (;;) {
      if (stopping || database.pool.ending) return;
      try {
        await boss.start();
        break;
      } catch (error) {
        console.error(`kitchen: cannot start (${(error as Error).message}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_START_MS));
      }
    }
    for (let n = 0; n < options.workers; n++) {
      // pg-boss has a worker that found a job wait out the rest of its polling interval before it
      // asks again, so a worker whose orders cook in under half a second cooked two a second at
      // most (pnpm bench --kitchen: 2 a second at 50 ms a pizza, a tenth of what it could). One
      // that has just cooked asks again at once, as there may be more; only an idle one waits.
      const worker = { id: "" }; // known once work() answers, before its first job can come
      const cookThenAskAgain = async (jobs: PgBoss.Job<KitchenJob>[]) => {
        try {
          return await handle(jobs);
        } finally {
          boss.notifyWorker(worker.id);
        }
      };
      const settings = { batchSize: 1, pollingIntervalSeconds: POLLING_SECONDS };
      worker.id = await boss.work(KITCHEN_QUEUE, settings, cookThenAskAgain);
    }
    running = true;
    if (stopping) await stopBoss(0); // stopped while it was starting
  })().catch((error: unknown) => console.error(`kitchen: ${(error as Error).message}`));
  return {
    queue,
    held: () => ({ waiting: 0, cooking }),
    async stop(deadlineMs) {
      stopping = true;
      if (running) await stopBoss(deadlineMs);
    },
  };
}
