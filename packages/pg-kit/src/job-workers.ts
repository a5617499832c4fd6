// Workers that take jobs from a queue in PostgreSQL (job-queue.ts), one job at a time each, and
// report each delivery done or failed. The loop is ours, around pg-boss's fetch, complete and fail,
// because a kitchen's worker needs what pg-boss's own `work()` does not give: a report tried again
// while the database is away, a delivery another one has taken over left alone, a stop with a
// deadline, and a worker that asks again at once after a job, as there may be more.
// - A report is made, and tried again while the database is away, only while the delivery's lease
//   holds. Past it, the job is no longer this worker's: pg-boss's upkeep gives it back and it is
//   delivered again, which the handler's own conditional writes make harmless (the next delivery
//   finds nothing to do, or does the job and records it once). A report names its delivery, so one
//   that lands after the job was delivered again settles nothing.
// - A job the handler says another delivery has taken over is left alone.
// - Asking for a job while the database is away finds none; an idle worker asks again every half
//   second, and one that has just done a job asks at once.
// A handler that throws has its delivery failed, and so the job delivered again (a bug of the
// handler's is logged, an outage is not). A report or a start that fails for any other reason than
// an outage is a bug of ours: it ends the process, loudly.
import { setTimeout as sleep } from "node:timers/promises";
import type { Delivery, JobQueue } from "./job-queue";
import { pause } from "./pause";
import { isOutage } from "./pg-pool";

/** What a handler made of one delivery of a job. */
export type JobResult =
  /** Finished with (done, or found nothing left to do): reported complete. */
  | "done"
  /** Another delivery of the same job holds it now (this one outlived its lease): left to that one. */
  | "taken-over";

export interface JobWorkerOptions {
  /** Workers on this server, each with one job at a time. */
  readonly workers: number;
  /** Who speaks in the log ("kitchen"). */
  readonly label: string;
}

export interface JobWorkers {
  /** Jobs this server's handlers are working on now. */
  held(): number;
  /**
   * Takes no more jobs; waits for those in hand up to `deadlineMs`, then gives them back to the
   * queue at once; then stops the queue's pg-boss.
   */
  stop(deadlineMs: number): Promise<void>;
}

/** How often an idle worker asks for a job, and a report that failed is tried again (pg-boss's least poll). */
const POLLING_MS = 500;

/** Starts `workers` workers on `queue`, once the database is prepared. */
export function startJobWorkers<Data extends object>(
  queue: JobQueue<Data>,
  handle: (data: Data) => Promise<JobResult>,
  { workers, label }: JobWorkerOptions,
): JobWorkers {
  /** Set by stop: no more jobs are taken, and idle workers stop waiting. */
  const closing = new AbortController();
  /** Set at stop's deadline: reports still being tried are given up (the lease brings the job back). */
  const abandoning = new AbortController();
  // state-audit: per-server: the jobs in this server's hands, each leased in PostgreSQL (the lease brings it back)
  const inHand = new Set<Delivery<Data>>();
  // state-audit: per-server: how many jobs this server's own workers are working on
  let working = 0;

  /** Makes `report` while the delivery's lease holds, trying again while the database is away. */
  const reportWhileLeased = async (report: () => Promise<unknown>, { leaseEnds }: Delivery<Data>) => {
    while (Date.now() < leaseEnds) {
      try {
        return await report();
      } catch (error) {
        if (!isOutage(error)) throw error;
        if (!(await pause(POLLING_MS, abandoning.signal))) return;
      }
    }
  };

  const run = async (delivery: Delivery<Data>) => {
    let report: (() => Promise<unknown>) | undefined;
    working++;
    try {
      if ((await handle(delivery.data)) === "done") report = () => queue.complete(delivery);
    } catch (error) {
      const { message } = error as Error;
      if (!isOutage(error))
        console.error(`${label}: job ${delivery.id} failed (${message}); it goes back to the queue`);
      report = () => queue.fail(delivery, message);
    } finally {
      working--;
    }
    if (report) await reportWhileLeased(report, delivery);
  };

  const work = async () => {
    while (!closing.signal.aborted) {
      const delivery = await queue.fetch(); // none while the database is away
      if (!delivery) {
        await pause(POLLING_MS, closing.signal);
        continue;
      }
      inHand.add(delivery);
      try {
        // Fetched as the server began to stop: back to the queue, for another server.
        if (closing.signal.aborted) await handBack(delivery);
        else await run(delivery);
      } finally {
        inHand.delete(delivery);
      }
    }
  };

  const handBack = (delivery: Delivery<Data>) =>
    Date.now() < delivery.leaseEnds ? queue.fail(delivery, "the server stopped").catch(() => undefined) : undefined;

  // A bug in a loop rejects this, with no one listening until stop: the process ends, loudly.
  // A server with no workers leaves the queue to the others (its upkeep still runs).
  const running = Promise.all(Array.from({ length: workers }, work));

  return {
    held: () => working,
    async stop(deadlineMs) {
      closing.abort();
      await Promise.race([running, sleep(deadlineMs, undefined, { ref: false })]);
      abandoning.abort();
      // What is still in hand goes back at once, for another server, rather than when its lease runs out.
      await Promise.all([...inHand].map(handBack));
      await queue.stop();
    },
  };
}
