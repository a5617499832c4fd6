// A job queue in this process's memory, with workers in this process: the shape of pg-kit's job
// queue (send, then workers that take jobs one at a time), with none of its promises. No other
// process sees the queue, and nothing is leased: what is waiting or being worked on when the
// process dies is gone with it, and a queue cannot be shared to spread its work over servers.

/** Jobs waiting for a worker, first in first out; a worker waits for the next one. */
export class MemoryJobQueue<Data> {
  private readonly waiting: Data[] = [];
  // state-audit: per-server: the workers waiting for a job are this process's own
  private readonly idle: ((job: Data | undefined) => void)[] = [];
  private closed = false;

  /** How many jobs wait for a worker. */
  get length(): number {
    return this.waiting.length;
  }

  send(job: Data): void {
    const worker = this.idle.shift();
    if (worker) worker(job);
    else this.waiting.push(job);
  }

  /** The next job; undefined once the queue is closed. */
  take(): Promise<Data | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    if (this.waiting.length > 0) return Promise.resolve(this.waiting.shift());
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Idle workers get undefined; what was waiting stays waiting (and dies with the process). */
  close(): void {
    this.closed = true;
    for (const worker of this.idle.splice(0)) worker(undefined);
  }
}

export interface MemoryWorkers {
  /** How many jobs the workers are working on. */
  held(): number;
  /** Closes the queue, then waits for the jobs under way, at most `deadlineMs`. */
  stop(deadlineMs: number): Promise<void>;
}

/**
 * Starts `workers` workers taking jobs from `queue`, one at a time each. A job whose handler
 * fails is logged and dropped: there is nowhere to give it back to.
 */
export function startMemoryWorkers<Data>(
  queue: MemoryJobQueue<Data>,
  handle: (job: Data) => Promise<void>,
  { workers, label }: { workers: number; label: string },
): MemoryWorkers {
  // state-audit: per-server: how many jobs this server's own workers are working on
  let working = 0;
  const work = async () => {
    for (let job = await queue.take(); job !== undefined; job = await queue.take()) {
      working++;
      try {
        await handle(job);
      } catch (error) {
        console.error(`${label}: a job failed and is dropped (${(error as Error).message})`);
      } finally {
        working--;
      }
    }
  };
  const running = Array.from({ length: workers }, work);
  return {
    held: () => working,
    async stop(deadlineMs) {
      queue.close();
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, deadlineMs).unref());
      await Promise.race([Promise.all(running), deadline]);
    },
  };
}
