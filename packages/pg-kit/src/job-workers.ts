// Workers that take jobs from a queue in PostgreSQL (job-queue.ts), one job at a time each, and
// report each one done or failed. The loop is ours, around pg-boss's fetch, complete and fail,
// because pg-boss 10's own worker reports a job without awaiting the report: a database that is
// gone at that moment rejects it with no one listening, and Node ends the process (pg-boss's
// issue 577). Here every report is awaited, and a database that is away is waited out:
// - A report is made, and tried again while the database is away, only while the job's lease
//   holds. Past it, the job is no longer this worker's: pg-boss's upkeep gives it back and it is
//   delivered again, which the handler's own conditional writes make harmless (the next delivery
//   finds nothing to do, or does the job and records it once). pg-boss ties a report to the job,
//   not to one delivery of it, so one that lands just as the lease runs out may settle another
//   delivery's job: harmless for the same reason, at the cost of one more delivery.
// - A job the handler says another delivery has taken over is left alone.
// - Asking for a job while the database is away finds none; an idle worker asks again every half
//   second, and one that has just done a job asks at once, as there may be more.
// A handler that throws has its job failed, and so delivered again (a bug of the handler's is
// logged, an outage is not). A report or a start that fails for any other reason than an outage
// is a bug of ours: it ends the process, loudly.
import { setTimeout as sleep } from "node:timers/promises";
import PgBoss from "pg-boss";
import type { Database } from "./background-database";
import { JOB_SCHEMA, throughPool } from "./job-queue";
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
  /** Takes no more jobs; waits for those in hand up to `deadlineMs`, then gives them back to the queue at once. */
  stop(deadlineMs: number): Promise<void>;
}

/** How often an idle worker asks for a job, and a report that failed is tried again (pg-boss's least poll). */
const POLLING_MS = 500;
/** How often a lease that ran out is noticed (pg-boss's upkeep; its least). */
const MAINTENANCE_SECONDS = 1;

/** Starts `workers` workers on `queue`, and pg-boss's upkeep, once the database is prepared. */
export function startJobWorkers<Data extends object>(
  database: Database,
  queue: string,
  handle: (data: Data) => Promise<JobResult>,
  { workers, label }: JobWorkerOptions,
): JobWorkers {
  // A server with no workers leaves the queue to the others, its upkeep too.
  if (workers === 0) return { held: () => 0, stop: async () => undefined };
  const db = outageSayer(label).watching(throughPool(database.pool));
  const newBoss = (supervise: boolean) => {
    const boss = new PgBoss({
      db,
      schema: JOB_SCHEMA,
      migrate: false,
      schedule: false,
      supervise,
      maintenanceIntervalSeconds: MAINTENANCE_SECONDS,
    });
    // The upkeep's errors: an outage is said once (by `watching`), and tried again a second later.
    boss.on("error", (error: Error) => {
      if (!isOutage(error)) console.error(`${label}: ${error.message}`);
    });
    return boss;
  };
  // Fetching and reporting need no started pg-boss; the upkeep does (see `started`).
  const jobs = newBoss(false);
  let upkeep: PgBoss | undefined;
  /** Set by stop: no more jobs are taken, and idle workers stop waiting. */
  const closing = new AbortController();
  /** Set at stop's deadline: reports still being tried are given up (the lease brings the job back). */
  const abandoning = new AbortController();
  /** The jobs in this server's hands, and when each one's lease runs out. */
  const inHand = new Map<string, number>();
  let working = 0;

  /** Makes `report` while the job's lease holds, trying again while the database is away. */
  const reportWhileLeased = async (report: () => Promise<unknown>, leaseEnds: number) => {
    while (Date.now() < leaseEnds) {
      try {
        return await report();
      } catch (error) {
        if (!isOutage(error)) throw error;
        if (!(await pause(POLLING_MS, abandoning.signal))) return;
      }
    }
  };

  const run = async (job: PgBoss.Job<Data>, leaseEnds: number) => {
    let report: (() => Promise<unknown>) | undefined;
    working++;
    try {
      if ((await handle(job.data)) === "done") report = () => jobs.complete(queue, job.id);
    } catch (error) {
      const { message } = error as Error;
      if (!isOutage(error)) console.error(`${label}: job ${job.id} failed (${message}); it goes back to the queue`);
      report = () => jobs.fail(queue, job.id, { message });
    } finally {
      working--;
    }
    if (report) await reportWhileLeased(report, leaseEnds);
  };

  const work = async () => {
    while (!closing.signal.aborted) {
      const [job] = await jobs.fetch<Data>(queue, { batchSize: 1 }); // none while the database is away
      if (!job) {
        await pause(POLLING_MS, closing.signal);
        continue;
      }
      const leaseEnds = Date.now() + Number(job.expireInSeconds) * 1000;
      inHand.set(job.id, leaseEnds);
      try {
        // Fetched as the server began to stop: back to the queue, for another server.
        if (closing.signal.aborted) await handBack(job.id);
        else await run(job, leaseEnds);
      } finally {
        inHand.delete(job.id);
      }
    }
  };

  const handBack = (id: string) =>
    Date.now() < (inHand.get(id) ?? 0)
      ? jobs.fail(queue, id, { message: "the server stopped" }).catch(() => undefined)
      : undefined;

  const started = (async () => {
    await database.prepared;
    // The upkeep checks pg-boss's tables when it starts. One whose start failed never starts (it
    // stays "starting"), so while the database is away a new one is tried a second later.
    while (!closing.signal.aborted) {
      const trying = newBoss(true);
      try {
        await trying.start();
        upkeep = trying;
        break;
      } catch (error) {
        if (!isOutage(error)) throw error;
        await pause(MAINTENANCE_SECONDS * 1000, closing.signal);
      }
    }
    if (closing.signal.aborted) await upkeep?.stop({ graceful: false, close: false }); // stopped while starting
    // A bug in a loop rejects this, with no one listening until stop: the process ends, loudly.
    return Promise.all(Array.from({ length: workers }, work));
  })();

  return {
    held: () => working,
    async stop(deadlineMs) {
      closing.abort();
      await Promise.race([started, sleep(deadlineMs, undefined, { ref: false })]);
      abandoning.abort();
      // What is still in hand goes back at once, for another server, rather than when its lease runs out.
      await Promise.all([...inHand.keys()].map(handBack));
      await upkeep?.stop({ graceful: false, close: false }).catch(() => undefined);
    },
  };
}

/** Waits `ms`, or less if `signal` is set first; resolves with whether the whole wait passed. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Says once when the database stops answering pg-boss, and once when it answers again. */
function outageSayer(label: string) {
  let away = false;
  return {
    watching: (db: PgBoss.Db): PgBoss.Db => ({
      async executeSql(text: string, values: unknown[]) {
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
