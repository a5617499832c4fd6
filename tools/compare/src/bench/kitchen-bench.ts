// `pnpm bench --kitchen`: what each design's kitchen costs, measured side by side in one run, on
// one instance of each app started on its own (the stateful app cooks only the orders placed
// through it, so one instance is the fair unit; the stateless one's workers would take jobs from
// every instance's). Two things:
// - orders cooked a second per worker, against the most a worker could cook (one order of one
//   pizza takes KITCHEN_MS): a backlog too big to drain, then the orders that became ready in a
//   measured window. What is missing from the ideal is the queue's own cost (taking a job,
//   the two conditional writes, marking it done) and any time a worker waits for work it could
//   have had.
// - what writing the kitchen's job costs a checkout: checkouts one at a time, a Coke (nothing to
//   cook, so no job) and a Margherita (a job) in turns, on an instance that cooks nothing, so that
//   only the writing differs. The stateless app writes the job in the order's transaction.
import { httpAnswers, startNodeServer, waitUntil, type NodeServer } from "@cart/local-infra";
import { serverScript } from "../rig/apps";
import { TestBed } from "../rig/test-bed";
import { inParallel, round, sleep } from "../util";
import { ARCHITECTURES, type Architecture } from "../vocabulary";
import { addOne, CHECKOUTS, CheckoutTimes, type CheckoutProbe } from "./checkout-probe";
import { logInUsers } from "./run-load";

export interface KitchenBenchOptions {
  readonly seconds: number;
  readonly warmUpSeconds: number;
  /** The cooking times a pizza takes (KITCHEN_MS) to measure at, one instance each. */
  readonly kitchenMs: readonly number[];
  /** Workers per instance (KITCHEN_WORKERS). */
  readonly workers: number;
  readonly onProgress: (line: string) => void;
}

export interface CookingRun {
  readonly app: Architecture;
  readonly kitchenMs: number;
  readonly workers: number;
  /** Orders that became ready in the measured window. */
  readonly cooked: number;
  readonly perWorkerPerSecond: number;
  /** What a worker could cook a second if taking the next job cost nothing: 1000 / KITCHEN_MS. */
  readonly idealPerWorkerPerSecond: number;
  /** perWorkerPerSecond over the ideal. */
  readonly ofIdeal: number;
  /**
   * Orders still not ready when the window closed: more than 0, or the workers ran out of work in
   * it and the figure is only a floor (the report says so).
   */
  readonly leftWaiting: number;
}

export interface JobCost {
  /** Checkouts of a Coke: nothing to cook, no job. */
  readonly withoutJob: CheckoutProbe;
  /** Checkouts of a Margherita: the kitchen's job written with the order. */
  readonly withJob: CheckoutProbe;
  /** The difference of the two p50s. */
  readonly extraP50Ms: number;
}

export interface KitchenBenchReport {
  readonly settings: Omit<KitchenBenchOptions, "onProgress"> & { readonly checkouts: number; readonly node: string };
  readonly cooking: CookingRun[];
  readonly checkouts: Record<Architecture, JobCost>;
  readonly ratios: {
    /** Per cooking time: stateless orders per worker over stateful ones. */
    readonly statelessToStatefulPerWorker: { readonly kitchenMs: number; readonly ratio: number }[];
    /** Per app: a checkout's p50 with the job over without. */
    readonly checkoutWithJobToWithout: Record<Architecture, number>;
  };
}

/**
 * The backlog is this many times what the workers could cook in the warm-up and the window: they
 * cook while it is being placed too, so it outlasts the window as long as placing is at least half
 * again as fast as cooking (on a busy machine placing slows down; `leftWaiting` says if it ran out).
 */
const BACKLOG_MARGIN = 3;
/** Orders are placed by this many users at once (the big spenders, each with a cart of their own). */
const PLACING_USERS = 3;
/** How long a new instance may take to be ready: a new database to migrate, pg-boss's tables to make. */
const READY_WITHIN_MS = 30_000;

export async function kitchenBench(options: KitchenBenchOptions): Promise<KitchenBenchReport> {
  const bed = await TestBed.open({ lb: "builtin" });
  try {
    const checkouts = {} as Record<Architecture, JobCost>;
    const cooking: CookingRun[] = [];
    for (const app of ARCHITECTURES) {
      checkouts[app] = await withInstance(bed, app, "checkouts", { KITCHEN_WORKERS: "0" }, (url) => jobCost(url));
      const { withoutJob, withJob, extraP50Ms } = checkouts[app];
      options.onProgress(
        `${app}: a checkout's p50 ${withoutJob.p50Ms} ms without a job, ${withJob.p50Ms} ms with one (+${extraP50Ms} ms)`,
      );
      for (const kitchenMs of options.kitchenMs) {
        const env = { KITCHEN_MS: String(kitchenMs), KITCHEN_WORKERS: String(options.workers) };
        const run = await withInstance(bed, app, `kitchen-${kitchenMs}`, env, (url) =>
          measureCooking(app, url, kitchenMs, options),
        );
        cooking.push(run);
        options.onProgress(
          `${app}, ${kitchenMs} ms a pizza: ${run.cooked} orders ready in ${options.seconds} s, ` +
            `${run.perWorkerPerSecond} a second per worker (${Math.round(run.ofIdeal * 100)}% of the ideal)`,
        );
      }
    }
    const perWorker = (app: Architecture, kitchenMs: number) =>
      cooking.find((run) => run.app === app && run.kitchenMs === kitchenMs)!.perWorkerPerSecond;
    return {
      settings: {
        seconds: options.seconds,
        warmUpSeconds: options.warmUpSeconds,
        kitchenMs: options.kitchenMs,
        workers: options.workers,
        checkouts: CHECKOUTS,
        node: process.version,
      },
      cooking,
      checkouts,
      ratios: {
        statelessToStatefulPerWorker: options.kitchenMs.map((kitchenMs) => ({
          kitchenMs,
          ratio: round(perWorker("stateless", kitchenMs) / perWorker("stateful", kitchenMs)),
        })),
        checkoutWithJobToWithout: Object.fromEntries(
          ARCHITECTURES.map((app) => [app, round(checkouts[app].withJob.p50Ms / checkouts[app].withoutJob.p50Ms)]),
        ) as Record<Architecture, number>,
      },
    };
  } finally {
    await bed.close();
  }
}

/** One instance of `app` on its own (a database of its own, if it has one), for the length of `work`. */
async function withInstance<T>(
  bed: TestBed,
  app: Architecture,
  role: string,
  env: NodeJS.ProcessEnv,
  work: (url: string) => Promise<T>,
): Promise<T> {
  const name = `${app}-${role}`;
  const server: NodeServer = await startNodeServer({
    name,
    script: serverScript(app),
    env: { ...(await bed.instanceEnv(app)), ...env, INSTANCE_ID: name, LOG_LEVEL: "warn" },
  });
  try {
    // Ready, not just alive: a stateless instance prepares its new database (migrations, pg-boss's
    // tables) after it starts answering, and a checkout meanwhile waits at most a second before it
    // answers 503: on a busy machine the bench's first checkouts could meet that.
    await waitUntil(
      () => httpAnswers(`${server.url}/readyz`),
      READY_WITHIN_MS,
      `${name} was not ready ${READY_WITHIN_MS / 1000} s after it started (GET /readyz)`,
    );
    return await work(server.url);
  } finally {
    await server.process.stop();
  }
}

/** CHECKOUTS checkouts of each kind, in turns, so that whatever else the machine does falls on both alike. */
async function jobCost(url: string): Promise<JobCost> {
  const [cookie] = await logInUsers(url, 1);
  const withoutJob = new CheckoutTimes();
  const withJob = new CheckoutTimes();
  for (let n = 0; n < CHECKOUTS; n++) {
    await withoutJob.checkOut(url, cookie!, "coke");
    await withJob.checkOut(url, cookie!, "margherita-pizza");
  }
  const [without, withIt] = [withoutJob.summary(), withJob.summary()];
  return { withoutJob: without, withJob: withIt, extraP50Ms: round(withIt.p50Ms - without.p50Ms) };
}

/**
 * A backlog of one-pizza orders bigger than the workers can cook in the warm-up and the window
 * together, then the orders whose readyAt falls in the window (the same machine's clock).
 */
async function measureCooking(
  app: Architecture,
  url: string,
  kitchenMs: number,
  options: KitchenBenchOptions,
): Promise<CookingRun> {
  const idealPerWorkerPerSecond = 1000 / kitchenMs;
  const backlog = Math.ceil(
    idealPerWorkerPerSecond * options.workers * (options.warmUpSeconds + options.seconds) * BACKLOG_MARGIN,
  );
  const cookies = await logInUsers(url, PLACING_USERS);
  await inParallel(PLACING_USERS, PLACING_USERS, async (user) => {
    for (let n = user; n < backlog; n += PLACING_USERS) await placeOrder(url, cookies[user]!);
  });
  await sleep(options.warmUpSeconds * 1000);
  const from = Date.now();
  await sleep(options.seconds * 1000);
  const to = Date.now();
  let cooked = 0;
  let leftWaiting = 0;
  for (const cookie of cookies) {
    for (const order of await ordersOf(url, cookie)) {
      const readyAt = order.readyAt ? Date.parse(order.readyAt) : NaN;
      if (readyAt >= from && readyAt < to) cooked++;
      if (Number.isNaN(readyAt) || readyAt >= to) leftWaiting++;
    }
  }
  const perWorkerPerSecond = round(cooked / options.seconds / options.workers);
  return {
    app,
    kitchenMs,
    workers: options.workers,
    cooked,
    perWorkerPerSecond,
    idealPerWorkerPerSecond: round(idealPerWorkerPerSecond),
    ofIdeal: round(perWorkerPerSecond / idealPerWorkerPerSecond),
    leftWaiting,
  };
}

async function placeOrder(url: string, cookie: string): Promise<void> {
  await addOne(url, cookie, "margherita-pizza");
  const checkout = await fetch(`${url}/checkout`, { method: "POST", headers: { cookie } });
  await checkout.body?.cancel();
  if (checkout.status !== 201) throw new Error(`a checkout of the kitchen's backlog answered ${checkout.status}`);
}

async function ordersOf(url: string, cookie: string): Promise<{ readyAt?: string }[]> {
  const response = await fetch(`${url}/orders`, { headers: { cookie } });
  if (response.status !== 200) throw new Error(`GET /orders answered ${response.status}`);
  return ((await response.json()) as { orders: { readyAt?: string }[] }).orders;
}
