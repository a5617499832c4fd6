// The measurement behind `pnpm bench`: both clusters started as `pnpm compare` starts them, and
// each app's bound (bound-server.ts, one process), 200 logged-in users each, the same request mix
// through each balancer and straight to one instance, after a warm-up, in repetitions where the
// two targets of each headline ratio run one right after the other, in turns; medians with their
// min–max (summary.ts). With a profile directory, then one CPU profile per app.
import { startNodeServer, type NodeServer } from "@cart/local-infra";
import { join } from "node:path";
import { STICKY_COOKIE } from "../balancer/sticky-cookie";
import type { Stack } from "../rig/stack";
import { TestBed } from "../rig/test-bed";
import { round } from "../util";
import { ARCHITECTURES, type Architecture, DEFAULT_POLICY } from "../vocabulary";
import { probeCheckout, type CheckoutProbe } from "./checkout-probe";
import { keepLoadApart } from "./core-plan";
import { cpuMs } from "./cpu-time";
import type { LoadJob } from "./load-worker";
import { profileApp, type AppProfile } from "./profile-app";
import { emptyCarts, logInUsers, runLoadProcess } from "./run-load";
import { BOUND_OF, type BenchApp, type BenchOptions, type Bound, type Via } from "./settings";
import { summarise, type BenchReport, type TargetRun } from "./summary";

const PROBE_SECONDS = 2;

/** One thing the bench drives: where to send each target's load, as whom, and whose CPU to count. */
export interface Subject {
  readonly app: BenchApp;
  readonly entries: Partial<Record<Via, { readonly url: string; readonly users: readonly string[] }>>;
  readonly pids: () => number[];
  /** Where carts are emptied between runs. */
  readonly emptyCarts: () => Promise<void>;
}

export async function bench(options: BenchOptions): Promise<BenchReport> {
  // First: what this process starts inherits its CPUs.
  const cores = options.loadApart ? keepLoadApart() : undefined;
  options.onProgress(
    cores
      ? `the load generator on CPU ${cores.load}, everything else on ${cores.rest.join(", ")}`
      : "the load generator and everything else share every CPU",
  );
  const bed = await TestBed.open({ lb: options.lb });
  const bounds: NodeServer[] = [];
  try {
    const subjects: Subject[] = [];
    const stacks = {} as Record<Architecture, Stack>;
    for (const app of ARCHITECTURES) {
      const stack = (stacks[app] = await bed.startStack(app, { instances: options.instances }));
      options.onProgress(
        `${app}: ${options.instances} instances behind the ${options.lb} balancer (${DEFAULT_POLICY[app]})`,
      );
      subjects.push(await appSubject(app, stack, options.users));
      options.onProgress(`${app}: ${options.users} users logged in`);
    }
    for (const app of ARCHITECTURES) {
      const bound = await startBound(BOUND_OF[app], bed);
      bounds.push(bound);
      subjects.push(await boundSubject(BOUND_OF[app], bound, options.users));
      options.onProgress(`${BOUND_OF[app]} (the bound of ${app}): started, ${options.users} users logged in`);
    }
    const targets = subjects.flatMap((subject) =>
      (["balancer", "direct"] as const).filter((via) => subject.entries[via]).map((via) => ({ subject, via })),
    );
    const job = (app: BenchApp, via: Via, seconds: number): LoadJob => {
      const entry = subjects.find((subject) => subject.app === app)!.entries[via]!;
      return { url: entry.url, seconds, connections: options.connections, users: entry.users };
    };
    for (const { subject, via } of targets) await runLoadProcess(job(subject.app, via, options.warmUpSeconds));
    options.onProgress(`warmed up (${options.warmUpSeconds} s per target)`);

    // Each headline ratio's two targets run one right after the other, in turns (A B, then B A…):
    // what the machine does over a few seconds falls on both sides of the ratio.
    const targetOf = (app: BenchApp, via: Via) => targets.find((t) => t.subject.app === app && t.via === via)!;
    const pairs = [
      [targetOf("stateful", "balancer"), targetOf("stateless", "balancer")],
      [targetOf("stateful", "direct"), targetOf(BOUND_OF.stateful, "direct")],
      [targetOf("stateless", "direct"), targetOf(BOUND_OF.stateless, "direct")],
    ] as const;
    const runs: TargetRun[] = [];
    for (let repetition = 1; repetition <= options.repetitions; repetition++) {
      const inTurn = pairs.flatMap(([a, b]) => (repetition % 2 ? [a, b] : [b, a]));
      for (const target of inTurn) {
        await target.subject.emptyCarts();
        const pids = target.subject.pids();
        const cpuBefore = await cpuMs(pids);
        const outcome = await runLoadProcess(job(target.subject.app, target.via, options.seconds));
        const cores = (await cpuMs(pids)) - cpuBefore;
        const { app } = target.subject;
        runs.push({
          app,
          via: target.via,
          repetition,
          ...outcome,
          appCpuCores: round(cores / (options.seconds * 1000)),
        });
        const kinds = Object.entries(outcome.errorKinds).map(([kind, n]) => `${n}× ${kind}`);
        options.onProgress(
          `run ${repetition}/${options.repetitions} ${app} ${target.via}: ${outcome.requestsPerSecond} ` +
            `req/s, p99 ${outcome.p99Ms} ms, ${outcome.errors} errors${kinds.length ? ` (${kinds.join(", ")})` : ""}`,
        );
      }
    }
    // The balancer's own cost, apart from queueing on a busy machine and from spreading requests
    // over instances: one connection, one request at a time, to the first instance straight and
    // through the balancer with the other instances drained (the same process, with and without
    // the hop).
    const probes = {} as Record<Architecture, Record<Via, number>>;
    const probeSeconds = Math.min(PROBE_SECONDS, options.seconds);
    for (const app of ARCHITECTURES) probes[app] = await probeBalancer(stacks[app], job(app, "direct", probeSeconds));
    options.onProgress(`probed one request at a time (${probeSeconds} s per target)`);
    const checkouts = {} as Record<Architecture, CheckoutProbe>;
    for (const app of ARCHITECTURES) {
      const direct = subjects.find((subject) => subject.app === app)!.entries.direct!;
      checkouts[app] = await probeCheckout(direct.url, direct.users);
      options.onProgress(`${app}: ${checkouts[app].checkouts} checkouts one at a time, p50 ${checkouts[app].p50Ms} ms`);
    }

    let profiles: Record<Architecture, AppProfile> | undefined;
    const { profileDir } = options;
    if (profileDir) {
      profiles = {} as Record<Architecture, AppProfile>;
      for (const app of ARCHITECTURES) {
        profiles[app] = await profileApp(app, bed, { ...options, profileDir });
        options.onProgress(`${app}: CPU profile written to ${profiles[app].file}`);
      }
    }
    return summarise(runs, { probes, checkouts }, profiles, { ...options, cores });
  } finally {
    await Promise.all(bounds.map((bound) => bound.process.stop()));
    await bed.close();
  }
}

/**
 * An app's cluster: its users logged in through the balancer (with the sticky cookie, if any);
 * straight to the first instance go the users it knows (the stateful app knows only the sessions
 * it made itself), without the sticky cookie.
 */
export async function appSubject(app: Architecture, stack: Stack, users: number): Promise<Subject> {
  const first = stack.cluster.ids[0]!;
  const balancer = await logInUsers(stack.balancer.url, users);
  const pinnedTo = (cookie: string) => new RegExp(`${STICKY_COOKIE}=([^;]+)`).exec(cookie)?.[1];
  const unpinned = (cookie: string) => cookie.replace(new RegExp(`;?\\s*${STICKY_COOKIE}=[^;]+`), "");
  const direct = balancer.filter((cookie) => (pinnedTo(cookie) ?? first) === first).map(unpinned);
  return {
    app,
    entries: {
      balancer: { url: stack.balancer.url, users: balancer },
      direct: { url: stack.cluster.url(first), users: direct },
    },
    pids: () => stack.cluster.ids.map((id) => stack.cluster.pid(id)),
    emptyCarts: () => emptyCarts(stack.balancer.url, balancer),
  };
}

/** p50 of one request at a time to the first instance: through the balancer, and straight. */
async function probeBalancer(stack: Stack, direct: LoadJob): Promise<Record<Via, number>> {
  const [first, ...others] = stack.cluster.ids;
  const probe = async (job: LoadJob) => (await runLoadProcess({ ...job, connections: 1 })).p50Ms;
  for (const id of others) await stack.balancer.drain(id);
  try {
    // The users the first instance knows, pinned to it as a sticky balancer pinned them.
    const pinned = (cookie: string) =>
      stack.balancer.policy === "sticky" ? `${cookie}; ${STICKY_COOKIE}=${first}` : cookie;
    const balancer = await probe({ ...direct, url: stack.balancer.url, users: direct.users.map(pinned) });
    return { balancer, direct: await probe(direct) };
  } finally {
    for (const id of others) await stack.balancer.restore(id);
  }
}

function startBound(bound: Bound, bed: TestBed): Promise<NodeServer> {
  return startNodeServer({
    name: bound,
    script: join(__dirname, "bound-server.js"),
    env: { REDIS_URL: bound === "express+redis" ? bed.redisUrl : "" },
  });
}

async function boundSubject(app: Bound, server: NodeServer, count: number): Promise<Subject> {
  const users = await logInUsers(server.url, count);
  return {
    app,
    entries: { direct: { url: server.url, users } },
    pids: () => [server.process.pid],
    emptyCarts: () => emptyCarts(server.url, users),
  };
}
