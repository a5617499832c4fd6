// The kitchen's queue in PostgreSQL, the database the shop already has (pg-kit's job queue, on
// pg-boss), and workers on every server that take from it. An order's job is written in the
// transaction that places the order, so neither exists without the other. A job is leased to one
// worker: if that worker dies (kill -9), stalls or is stopped, its lease runs out and another
// server's worker gets the job again; `cook`'s conditional writes make sure the order is cooked
// once however often its job is delivered. Redis is not the queue: a job is an order's promise to
// the customer, not a cache line.
import { cook, cookingMs, type Kitchen, type KitchenSettings, type KitchenOrders, type Order } from "@cart/domain";
import { JobQueue, prepareJobQueue, startJobWorkers, type Database, type Schema, type Statement } from "@cart/pg-kit";

const QUEUE = "kitchen";
/** A job's lease is this many times its cooking time. */
const LEASE_FACTOR = 3;
/** How often a job is delivered again before it is given up (each delivery whose worker died counts). */
const RETRY_LIMIT = 20;

interface KitchenJob {
  readonly orderId: string;
}

/** The kitchen's queue: pg-boss's own tables, in their own schema, and the queue in them. */
export const KITCHEN_SCHEMA: Schema = { prepare: (pool) => prepareJobQueue(pool, QUEUE, { retryLimit: RETRY_LIMIT }) };

/** Where placing an order puts its job. */
export class KitchenQueue {
  readonly jobs: JobQueue<KitchenJob>;

  constructor(
    database: Database,
    private readonly settings: KitchenSettings,
  ) {
    // A server with workers also gives back the jobs whose lease ran out, whoever held them.
    this.jobs = new JobQueue(database, QUEUE, { upkeep: settings.workers > 0, label: "kitchen" });
  }

  /** The statement that queues the order's job, sent in the order's transaction: the order and its job commit together, or neither does. */
  async queueing(order: Order): Promise<Statement[]> {
    const leaseSeconds = (LEASE_FACTOR * cookingMs(order.items, this.settings.kitchenMs)) / 1000;
    return [await this.jobs.jobStatement({ orderId: order.id }, { leaseSeconds })];
  }
}

/** Starts `workers` workers on this server, taking jobs from the queue every server shares. */
export function startKitchen(queue: KitchenQueue, orders: KitchenOrders, options: KitchenSettings): Kitchen {
  const workers = startJobWorkers<KitchenJob>(
    queue.jobs,
    async ({ orderId }) => {
      const outcome = await cook(orders, orderId, { cook: options.instanceId, kitchenMs: options.kitchenMs });
      if (outcome !== "taken-over") return "done";
      // The guard at work: this worker stalled past its lease, the job went to another, and only
      // that delivery's cooking counts.
      console.log(`kitchen: order ${orderId} was taken over by another delivery; not recorded twice`);
      return "taken-over";
    },
    { workers: options.workers, label: "kitchen" },
  );
  return {
    queue: "PostgreSQL (pg-boss)",
    held: () => ({ waiting: 0, cooking: workers.held() }),
    // Waits for the orders being cooked here; past the deadline, gives their jobs back at once
    // (to another server) rather than when their leases run out.
    stop: (deadlineMs) => workers.stop(deadlineMs),
  };
}
