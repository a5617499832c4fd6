// This server's kitchen: a queue in its own memory (memory-kit's), and workers in its own process
// that cook the orders placed through it, and only those. No other server knows the queue: kill
// this one and its waiting orders stay `placed` for ever (the restarted process starts with an
// empty queue); add a server and it cannot take any of this one's backlog.
import { cook, type Kitchen, type KitchenSettings, type KitchenOrders, type Order } from "@cart/domain";
import { MemoryJobQueue, startMemoryWorkers } from "@cart/memory-kit";

interface KitchenJob {
  readonly orderId: string;
}

/** Where placing an order puts its job. */
export class KitchenQueue {
  readonly jobs = new MemoryJobQueue<KitchenJob>();

  /** Queues the order's job in this process's memory, which dies with it. */
  add(order: Order): void {
    this.jobs.send({ orderId: order.id });
  }
}

/** Starts `workers` workers on this server, taking jobs from its own queue. */
export function startKitchen(queue: KitchenQueue, orders: KitchenOrders, options: KitchenSettings): Kitchen {
  const workers = startMemoryWorkers<KitchenJob>(
    queue.jobs,
    async ({ orderId }) => {
      await cook(orders, orderId, { cook: options.instanceId, kitchenMs: options.kitchenMs });
    },
    { workers: options.workers, label: "kitchen" },
  );
  return {
    queue: "this server's memory",
    held: () => ({ waiting: queue.jobs.length, cooking: workers.held() }),
    // Waits for the orders being cooked here; what waits in the queue dies with the process.
    stop: (deadlineMs) => workers.stop(deadlineMs),
  };
}
