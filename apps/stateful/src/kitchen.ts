// This server's kitchen: a queue in its own memory, and workers in its own process that cook the
// orders placed through it, and only those. No other server knows the queue: kill this one and
// its waiting orders stay `placed` for ever (the restarted process starts with an empty queue);
// add a server and it cannot take any of this one's backlog.
import { cook, type Kitchen, type KitchenSettings, type KitchenOrders } from "@cart/domain";

/** Order ids waiting for a worker, first in first out; a worker waits for the next one. */
export class KitchenQueue {
  private readonly waiting: string[] = [];
  private readonly idle: ((orderId: string | undefined) => void)[] = [];
  private closed = false;

  get length(): number {
    return this.waiting.length;
  }

  add(orderId: string): void {
    const worker = this.idle.shift();
    if (worker) worker(orderId);
    else this.waiting.push(orderId);
  }

  /** The next order id; undefined once the queue is closed. */
  take(): Promise<string | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const next = this.waiting.shift();
    if (next !== undefined) return Promise.resolve(next);
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Idle workers get undefined; what was waiting stays waiting (and dies with the process). */
  close(): void {
    this.closed = true;
    for (const worker of this.idle.splice(0)) worker(undefined);
  }
}

/** Starts `workers` workers taking orders from `queue`. */
export function startKitchen(queue: KitchenQueue, orders: KitchenOrders, options: KitchenSettings): Kitchen {
  let cooking = 0;
  const work = async () => {
    for (let orderId = await queue.take(); orderId !== undefined; orderId = await queue.take()) {
      cooking++;
      try {
        await cook(orders, orderId, { cook: options.instanceId, kitchenMs: options.kitchenMs });
      } finally {
        cooking--;
      }
    }
  };
  const workers = Array.from({ length: options.workers }, work);
  return {
    queue: "this server's memory",
    held: () => ({ waiting: queue.length, cooking }),
    async stop(deadlineMs) {
      queue.close();
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, deadlineMs).unref());
      await Promise.race([Promise.all(workers), deadline]);
    },
  };
}
