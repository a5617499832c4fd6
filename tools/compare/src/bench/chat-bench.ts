// `pnpm bench --chat`: what the chat costs each design, measured side by side in one run. Both
// clusters are started as `pnpm compare` starts them; browsers of six demo users log in through
// each balancer and open their sockets there, spread over the servers; every socket writes to the
// next user at a steady rate (chat-worker.ts, a process of its own). Per app: the delivery
// latency to every socket of the recipient, the share of copies that arrived (the stateful app
// reaches only the recipient's sockets on the sender's server), the app's CPU and each instance's
// sockets and memory.
import pidusage from "pidusage";
import { DEMO_PASSWORDS, type DemoUser } from "../rig/demo-logins";
import type { Stack } from "../rig/stack";
import { TestBed } from "../rig/test-bed";
import { round, sleep } from "../util";
import { ARCHITECTURES, type Architecture, type BalancerKind } from "../vocabulary";
import type { ChatJob, ChatOutcome } from "./chat-worker";
import { cpuMs } from "./cpu-time";
import { logInUsers, runWorker } from "./run-load";

const USERS = Object.keys(DEMO_PASSWORDS) as DemoUser[];

export interface ChatBenchOptions {
  readonly seconds: number;
  readonly warmUpSeconds: number;
  /** Sockets per app, one browser each, users in turns. */
  readonly connections: number;
  /** Messages each socket writes a second. */
  readonly rate: number;
  readonly instances: number;
  readonly lb: BalancerKind;
  readonly onProgress: (line: string) => void;
}

export interface ChatAppResult extends ChatOutcome {
  /** Delivered over expected copies, in %. */
  readonly deliveredPercent: number;
  /** Delivered copies that crossed servers, in % of those delivered. */
  readonly acrossServersPercent: number;
  /**
   * CPU the app's instances used over the measured run (the sockets opening, the sending, the last
   * copies arriving) per second of sending, in cores (1 = one core busy throughout).
   */
  readonly appCpuCores: number;
  /** Resident memory of each instance mid-run, in MB. */
  readonly rssMbPerInstance: Record<string, number>;
}

export interface ChatBenchReport {
  readonly settings: Omit<ChatBenchOptions, "onProgress"> & {
    readonly users: readonly string[];
    readonly node: string;
  };
  readonly apps: Record<Architecture, ChatAppResult>;
  /** Null when the stateful app delivered nothing (no user's next one was on the same server). */
  readonly ratios: {
    /** Delivery latency, stateless over stateful. */
    readonly statelessToStatefulP50: number | null;
    readonly statelessToStatefulP99: number | null;
    /** The app's CPU per delivered copy, stateless over stateful. */
    readonly statelessToStatefulCpuPerDelivery: number | null;
  };
}

export async function chatBench(options: ChatBenchOptions): Promise<ChatBenchReport> {
  const bed = await TestBed.open({ lb: options.lb });
  try {
    const apps = {} as Record<Architecture, ChatAppResult>;
    for (const app of ARCHITECTURES) {
      const stack = await bed.startStack(app, { instances: options.instances });
      const browsers = await logInBrowsers(stack.balancer.url, options.connections);
      options.onProgress(`${app}: ${options.instances} instances, ${browsers.length} browsers logged in`);
      const job = (seconds: number): ChatJob => ({ url: stack.balancer.url, browsers, seconds, rate: options.rate });
      await runWorker<ChatJob, ChatOutcome>("chat-worker.js", job(options.warmUpSeconds));
      apps[app] = await measure(stack, job(options.seconds), options.seconds);
      const { sentPerSecond, deliveredPercent, p50Ms, p99Ms } = apps[app];
      options.onProgress(
        `${app}: ${sentPerSecond} messages/s, ${deliveredPercent}% of copies delivered, p50 ${p50Ms} ms, p99 ${p99Ms} ms`,
      );
      await bed.stopStack(stack);
    }
    const perDelivery = (app: Architecture) => apps[app].appCpuCores / apps[app].deliveredPerSecond;
    return {
      settings: {
        seconds: options.seconds,
        warmUpSeconds: options.warmUpSeconds,
        connections: options.connections,
        rate: options.rate,
        instances: options.instances,
        lb: options.lb,
        users: USERS,
        node: process.version,
      },
      apps,
      ratios: {
        statelessToStatefulP50: ratio(apps.stateless.p50Ms, apps.stateful.p50Ms),
        statelessToStatefulP99: ratio(apps.stateless.p99Ms, apps.stateful.p99Ms),
        statelessToStatefulCpuPerDelivery: ratio(perDelivery("stateless"), perDelivery("stateful")),
      },
    };
  } finally {
    await bed.close();
  }
}

/** `count` browsers through the balancer, the demo users in turns: their cookies (sticky one included). */
async function logInBrowsers(url: string, count: number): Promise<ChatJob["browsers"]> {
  const userOf = (n: number) => USERS[n % USERS.length]!;
  const cookies = await logInUsers(url, count, userOf);
  return cookies.map((cookie, n) => ({ cookie, user: userOf(n) }));
}

/** One measured run, with the instances' CPU over it and their memory halfway. */
async function measure(stack: Stack, job: ChatJob, seconds: number): Promise<ChatAppResult> {
  const { cluster } = stack;
  const pids = cluster.ids.map((id) => cluster.pid(id));
  const cpuBefore = await cpuMs(pids);
  const run = runWorker<ChatJob, ChatOutcome>("chat-worker.js", job);
  await sleep((seconds * 1000) / 2);
  const usage = await pidusage(pids);
  const rssMbPerInstance = Object.fromEntries(
    cluster.ids.map((id, i) => [id, round(usage[pids[i]!]!.memory / 2 ** 20)]),
  );
  const outcome = await run;
  const cores = ((await cpuMs(pids)) - cpuBefore) / (seconds * 1000);
  return {
    ...outcome,
    deliveredPercent: round((100 * outcome.delivered) / Math.max(1, outcome.expected)),
    acrossServersPercent: round((100 * outcome.acrossServers) / Math.max(1, outcome.delivered)),
    appCpuCores: round(cores),
    rssMbPerInstance,
  };
}

const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(b) ? round(a / b) : null);
