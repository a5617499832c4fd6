// The measurement behind `pnpm bench`: both clusters started as `pnpm compare` starts them, 200
// logged-in users per app, the same request mix through each balancer and straight to one
// instance, runs interleaved (A B A B) after a warm-up, medians with their min–max.
import { spawn } from "node:child_process";
import { join } from "node:path";
import pidusage from "pidusage";
import { STICKY_COOKIE } from "../balancer/sticky-cookie";
import { logIn, nthUser } from "../rig/demo-logins";
import type { Stack } from "../rig/stack";
import { TestBed } from "../rig/test-bed";
import { round, inParallel } from "../util";
import { ARCHITECTURES, type Architecture, DEFAULT_POLICY } from "../vocabulary";
import type { LoadJob, LoadOutcome } from "./load-worker";
import type { BenchOptions, Target } from "./settings";
import { summarise, type BenchReport, type TargetRun } from "./summary";

const TARGETS: Target[] = ARCHITECTURES.flatMap((app) => [
  { app, via: "balancer" as const },
  { app, via: "direct" as const },
]);
const PROBE_SECONDS = 2;
const LOGINS_AT_ONCE = 4; // the login limiter refuses more than 5 in flight for one username

export async function bench(options: BenchOptions): Promise<BenchReport> {
  const bed = await TestBed.open({ lb: options.lb });
  const stacks: Partial<Record<Architecture, Stack>> = {};
  try {
    for (const app of ARCHITECTURES) {
      stacks[app] = await bed.startStack(app, { instances: options.instances });
      const routing = DEFAULT_POLICY[app];
      options.onProgress(`${app}: ${options.instances} instances behind the ${options.lb} balancer (${routing})`);
    }
    const users = {} as Record<Architecture, { balancer: string[]; direct: string[] }>;
    for (const app of ARCHITECTURES) {
      users[app] = await logInUsers(stacks[app]!, options.users);
      options.onProgress(`${app}: ${options.users} users logged in`);
    }

    const job = (target: Target, seconds: number): LoadJob => {
      const stack = stacks[target.app]!;
      const url = target.via === "balancer" ? stack.balancer.url : stack.cluster.url(stack.cluster.ids[0]!);
      return { url, seconds, connections: options.connections, users: users[target.app][target.via] };
    };
    for (const target of TARGETS) await runLoadProcess(job(target, options.warmUpSeconds));
    options.onProgress(`warmed up (${options.warmUpSeconds} s per target)`);

    const runs: TargetRun[] = [];
    for (let repetition = 1; repetition <= options.repetitions; repetition++) {
      for (const target of TARGETS) {
        await emptyCarts(stacks[target.app]!, users[target.app].balancer);
        const pids = stacks[target.app]!.cluster.ids.map((id) => stacks[target.app]!.cluster.pid(id));
        const cpuBefore = await cpuMs(pids);
        const outcome = await runLoadProcess(job(target, options.seconds));
        const cores = (await cpuMs(pids)) - cpuBefore;
        runs.push({ ...target, repetition, ...outcome, appCpuCores: round(cores / (options.seconds * 1000)) });
        const kinds = Object.entries(outcome.errorKinds).map(([kind, n]) => `${n}× ${kind}`);
        options.onProgress(
          `run ${repetition}/${options.repetitions} ${target.app} ${target.via}: ${outcome.requestsPerSecond} ` +
            `req/s, p99 ${outcome.p99Ms} ms, ${outcome.errors} errors${kinds.length ? ` (${kinds.join(", ")})` : ""}`,
        );
      }
    }
    // The balancer's own cost, apart from queueing on a busy machine: one connection, one request
    // at a time, through the balancer and straight to the instance.
    const probes: Record<Architecture, { balancer: number; direct: number }> = {
      stateful: { balancer: 0, direct: 0 },
      stateless: { balancer: 0, direct: 0 },
    };
    for (const target of TARGETS) {
      const outcome = await runLoadProcess({ ...job(target, PROBE_SECONDS), connections: 1 });
      probes[target.app][target.via] = outcome.p50Ms;
    }
    options.onProgress(`probed one request at a time (${PROBE_SECONDS} s per target)`);
    return summarise(runs, probes, options);
  } finally {
    await bed.close();
  }
}

/**
 * Logs `count` users in through the balancer (alice and bob in turns; each its own session), and
 * returns their Cookie headers: through the balancer (with the sticky cookie, if any), and for
 * the first instance directly (the stateful app knows only the sessions it made itself).
 */
async function logInUsers(stack: Stack, count: number): Promise<{ balancer: string[]; direct: string[] }> {
  const first = stack.cluster.ids[0]!;
  const balancer: string[] = [];
  await inParallel(count, LOGINS_AT_ONCE, async (n) => {
    balancer.push(await logIn(stack.balancer.url, nthUser(n)));
  });
  const pinnedTo = (cookie: string) => new RegExp(`${STICKY_COOKIE}=([^;]+)`).exec(cookie)?.[1];
  const unpinned = (cookie: string) => cookie.replace(new RegExp(`;?\\s*${STICKY_COOKIE}=[^;]+`), "");
  const direct = balancer.filter((cookie) => (pinnedTo(cookie) ?? first) === first).map(unpinned);
  return { balancer, direct };
}

/** Checks every user's cart out, so that no run meets the 99-per-line limit left by the last. */
async function emptyCarts(stack: Stack, cookies: string[]): Promise<void> {
  for (const cookie of cookies) {
    const response = await fetch(`${stack.balancer.url}/checkout`, { method: "POST", headers: { cookie } });
    await response.body?.cancel();
  }
}

/** CPU time (user + system) the processes have used so far, in ms. */
async function cpuMs(pids: number[]): Promise<number> {
  const stats = await pidusage(pids);
  return Object.values(stats).reduce((sum, stat) => sum + stat.ctime, 0);
}

function runLoadProcess(job: LoadJob): Promise<LoadOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, "load-worker.js")], { stdio: ["pipe", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve(JSON.parse(output) as LoadOutcome) : reject(new Error(`the load generator exited ${code}`)),
    );
    child.stdin.end(JSON.stringify(job));
  });
}
