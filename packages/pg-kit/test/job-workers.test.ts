// The job queue's workers against a real, private PostgreSQL that crashes (an immediate shutdown)
// at the worst moments: just as a job is done and must be reported, as a handler fails, and while
// the workers start. The process lives through each (Jest fails a test on an unhandled rejection,
// which is how a report no one awaits ends a server), and every job is settled once the database
// is back.
import { LocalPostgresServer } from "@cart/local-infra";
import { setTimeout as sleep } from "node:timers/promises";
import {
  createPgPool,
  databaseOf,
  JobQueue,
  prepareJobQueue,
  startJobWorkers,
  type Database,
  type JobResult,
  type JobWorkers,
} from "../src";

jest.setTimeout(60_000);

const QUEUE = "test-jobs";
let server: LocalPostgresServer;
let database: Database;
/** Where the tests send their jobs from: a server with no workers. */
let sender: JobQueue<{ n: number }>;
let running: JobWorkers | undefined;

beforeAll(async () => {
  server = await LocalPostgresServer.start();
  const pool = createPgPool(server.url());
  await prepareJobQueue(pool, QUEUE, { retryLimit: 5 });
  database = databaseOf(pool, Promise.resolve());
  sender = new JobQueue(database, QUEUE, { upkeep: false, label: "sender" });
});

afterEach(async () => {
  await running?.stop(0);
  running = undefined;
  if (!server.running) await server.startAgain();
  await database.pool.query("DELETE FROM pgboss.job WHERE name = $1", [QUEUE]);
});

afterAll(async () => {
  await sender.stop();
  await database.pool.end();
  await server.stop();
});

/** Sends one job with a lease of `leaseSeconds`; resolves with its id. */
async function send(leaseSeconds: number): Promise<string> {
  await database.inOneTrip([await sender.jobStatement({ n: 1 }, { leaseSeconds })]);
  const { rows } = await database.pool.query<{ id: string }>("SELECT id FROM pgboss.job WHERE name = $1", [QUEUE]);
  return rows[0]!.id;
}

/** Until the job is in `state` (pg-boss's: created, retry, active, completed…), within `ms`. */
async function until(id: string, state: string, ms: number): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(100)) {
    const answer = await database.pool.query("SELECT state FROM pgboss.job WHERE id = $1", [id]).catch(() => undefined);
    if (answer?.rows[0]?.state === state) return;
  }
  throw new Error(`job ${id} not ${state} within ${ms} ms`);
}

/** A server with `workers` workers on the queue, and its upkeep. */
const start = (handle: () => Promise<JobResult>, workers = 1) =>
  (running = startJobWorkers(new JobQueue(database, QUEUE, { upkeep: true, label: "test" }), handle, {
    workers,
    label: "test",
  }));

/** Crashes the database now, and starts it again after `ms`, without waiting for that. */
async function crashFor(ms: number): Promise<void> {
  await server.crash();
  void sleep(ms).then(() => server.startAgain());
}

describe("a job queue's workers, when the database crashes", () => {
  it("report a job done once the database is back, when it went away just as the job was done", async () => {
    const id = await send(30);
    let handled = 0;
    start(async () => {
      handled++;
      await crashFor(1500);
      return "done";
    });
    await until(id, "completed", 15_000);
    expect(handled).toBe(1);
  });

  it("report a handler's failure once the database is back, and the job is delivered again", async () => {
    const id = await send(30);
    let handled = 0;
    start(async () => {
      if (++handled === 1) {
        await crashFor(1500);
        throw new Error("the database went away mid-job");
      }
      return "done";
    });
    await until(id, "completed", 15_000);
    expect(handled).toBe(2);
  });

  it("start their upkeep once the database answers, however long it was away: a lease that runs out is noticed", async () => {
    await server.crash();
    let handled = 0;
    // The first delivery never finishes: only the upkeep, expiring its lease, brings the job back.
    start(async () => (++handled === 1 ? new Promise<JobResult>(() => undefined) : "done"), 2);
    await sleep(2500); // several tries to start, while the database is away
    await server.startAgain();
    const id = await send(1);
    await until(id, "completed", 15_000);
    expect(handled).toBe(2);
  });
});
